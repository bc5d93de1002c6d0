"""Charts drawn as SVG on the server: the dyad timeline and the bundled world map.

No charting library and no tile server: a timeline is a few rectangles and a polyline,
and the world map is an equirectangular projection (x = longitude, y = -latitude) of
the country outlines that the installed `countryinfo` package ships as GeoJSON.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlencode

from ..vocabulary import QUAD_NUMBER

QUADS = tuple(QUAD_NUMBER.items())
QUAD_COLOURS = {1: "#7fb77e", 2: "#2e7d4f", 3: "#f0a04b", 4: "#c0392b"}


def _ring(coords: list[list[float]]) -> str:
    return "M" + "L".join(f"{lon:.2f} {-lat:.2f}" for lon, lat, *_ in coords) + "Z"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(ISO alpha-3, name, SVG path) for every country outline countryinfo carries."""
    from countryinfo import CountryInfo

    out = []
    for name, info in sorted(CountryInfo.all().items()):
        features = (info.get("geoJSON") or {}).get("features") or []
        rings = [r for f in features for r in _rings(f.get("geometry") or {}) if len(r) > 2]
        if rings:
            iso = (info.get("ISO") or {}).get("alpha3") or ""
            out.append((iso, str(info.get("name") or name), "".join(_ring(r) for r in rings)))
    return tuple(out)


def graticule(step: int = 30) -> str:
    lines = [f"M{lon} -90V90" for lon in range(-180, 181, step)]
    lines += [f"M-180 {lat}H180" for lat in range(-90, 91, step)]
    return "".join(lines)


@lru_cache(maxsize=1)
def world_svg() -> str:
    """A standalone world map in the viewBox -180 -90 360 180 (the dashboard's map background)."""
    countries = "".join(f'<path d="{d}"><title>{escape(name)}</title></path>' for _, name, d in country_paths())
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" width="1440" height="720">'
            '<rect x="-180" y="-90" width="360" height="180" fill="#dbe8f3"/>'
            f'<path d="{graticule()}" fill="none" stroke="#b9cde0" stroke-width="0.2"/>'
            f'<g fill="#f4f1ea" stroke="#8a8a8a" stroke-width="0.15" stroke-linejoin="round">{countries}</g>'
            '</svg>')


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular: the map's x and y for a longitude and latitude."""
    return round(max(-180.0, min(180.0, lon)), 3), round(-max(-90.0, min(90.0, lat)), 3)


def _period_end(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=6)
    if by == "year":
        return date(start.year, 12, 31)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1)


def period_label(day: date, by: str) -> str:
    return str(day.year) if by == "year" else day.strftime("%Y-%m") if by == "month" else day.isoformat()


def timeline_svg(view: dict[str, Any], *, width: int = 960, height: int = 340) -> str:
    """Stacked bars of events per period by quad class, and the mean score as a line (right axis)."""
    periods, by = view["periods"], view["by"]
    if not periods:
        return ""
    left, right, top, bottom = 48, 52, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(1, max(p["events"] for p in periods))
    slot = plot_w / len(periods)
    bar = min(48.0, max(1.0, slot * 0.7))
    y_count = lambda n: top + plot_h - n * plot_h / peak
    y_score = lambda s: top + plot_h / 2 - s * plot_h / 20          # scores run from -10 to +10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="events per {by} by quad class, and mean score">']
    for n in sorted({0, peak, (peak + 1) // 2}):
        y = y_count(n)
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{n}</text>')
    for s in (-10, 0, 10):
        parts.append(f'<text class="axis score-axis" x="{left + plot_w + 6}" y="{y_score(s) + 4:.1f}">{s:+d}</text>'
                     if s else f'<text class="axis score-axis" x="{left + plot_w + 6}" y="{y_score(s) + 4:.1f}">0</text>')
    parts.append(f'<line class="zero" x1="{left}" x2="{left + plot_w}" y1="{y_score(0):.1f}" y2="{y_score(0):.1f}"/>')
    every = max(1, round(len(periods) / 12))
    points = []
    for i, p in enumerate(periods):
        x = left + i * slot + (slot - bar) / 2
        start = p["period"]
        link = "/events?" + urlencode({**view["events_filters"], "since": start.isoformat(),
                                       "until": _period_end(start, by).isoformat()})
        tip = (f"{period_label(start, by)}: {p['events']} events; " + ", ".join(f"{k.replace('_', ' ')} {p[k]}" for k, _ in QUADS)
               + (f"; mean score {p['mean_score']}" if p["mean_score"] is not None else ""))
        parts.append(f'<a href="{escape(link)}"><g class="period"><title>{escape(tip)}</title>')
        parts.append(f'<rect class="hit" x="{left + i * slot:.1f}" y="{top}" width="{slot:.1f}" height="{plot_h}"/>')
        base = top + plot_h
        for key, quad in QUADS:
            h = p[key] * plot_h / peak
            if h:
                base -= h
                parts.append(f'<rect class="q{quad}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}"/>')
        parts.append("</g></a>")
        if p["mean_score"] is not None:
            points.append(f"{x + bar / 2:.1f},{y_score(float(p['mean_score'])):.1f}")
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{period_label(start, by)}</text>')
    if points:
        parts.append(f'<polyline class="score" points="{" ".join(points)}"/>')
        parts += [f'<circle class="score-dot" cx="{pt.split(",")[0]}" cy="{pt.split(",")[1]}" r="3"/>' for pt in points]
    parts.append(f'<text class="axis" x="{left}" y="{height - 6}">events per {by}</text>'
                 f'<text class="axis score-axis" x="{left + plot_w}" y="{height - 6}" text-anchor="end">'
                 f'mean score (line)</text></svg>')
    return "".join(parts)
