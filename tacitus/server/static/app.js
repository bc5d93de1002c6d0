// Small progressive enhancements; every page works without them.
"use strict";

// Leave blank filters out of the address, so a filtered view's URL stays short and shareable.
document.querySelectorAll("form.filters").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox") { field.disabled = true; }
    });
  });
});

// A click anywhere on an event row opens the event.
document.querySelectorAll("tr[data-href]").forEach(function (row) {
  row.addEventListener("click", function (event) {
    if (event.target.closest("a")) { return; }
    window.location.href = row.dataset.href;
  });
});

// "Store this article" on the code page: POST /v1/articles with the text that was coded.
(function () {
  var button = document.getElementById("store-button");
  if (!button) { return; }
  var out = document.getElementById("store-result");
  function say(text) { out.textContent = text; }
  button.addEventListener("click", function () {
    var article = { text: document.getElementById("text").value };
    var published = document.getElementById("published").value.trim();
    var id = document.getElementById("store-id").value.trim();
    if (published) { article.published = published; }
    if (id) { article.id = id; }
    var headers = { "Content-Type": "application/json" };
    var token = document.getElementById("store-token");
    if (token && token.value) { headers.Authorization = "Bearer " + token.value; }
    button.disabled = true;
    say("storing…");
    fetch("/v1/articles", { method: "POST", headers: headers, body: JSON.stringify(article) })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        button.disabled = false;
        if (!answer.ok) { say("not stored: " + (answer.body.message || answer.body.error)); return; }
        var stored = answer.body.articles[0];
        say(stored.already_stored ? "already stored; " : "stored (" + stored.status + "); ");
        stored.event_ids.forEach(function (eventId, i) {
          var link = document.createElement("a");
          link.href = "/events/" + encodeURIComponent(eventId);
          link.textContent = "event " + (i + 1);
          out.appendChild(link);
          out.appendChild(document.createTextNode(" "));
        });
        var row = document.createElement("a");
        row.href = "/articles/" + encodeURIComponent(stored.row_id);
        row.textContent = "the stored article";
        out.appendChild(row);
      })
      .catch(function (error) { button.disabled = false; say("not stored: " + error); });
  });
})();
