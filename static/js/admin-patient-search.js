// Search as you type on the patient list: asks the admin's search endpoint as staff type and
// lists the first matches as links. Without JavaScript the ordinary search box still works.
(function () {
  "use strict";
  const box = document.getElementById("patient-live-search");
  if (!box) return;
  const input = document.getElementById("searchbar");
  const status = document.getElementById("patient-live-status");
  const list = document.getElementById("patient-live-results");
  let timer = null;
  let latest = 0;

  function show(results) {
    list.replaceChildren();
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = result.url;
      // The whole line is the link: nothing beside it that only colour tells apart.
      link.textContent = [result.name, result.detail, result.alert && "Alert: " + result.alert]
        .filter(Boolean)
        .join(" · ");
      item.append(link);
      list.append(item);
    }
    status.textContent = results.length ? results.length + " found" : "Nobody found";
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    timer = setTimeout(function () {
      const asked = ++latest;
      fetch(box.dataset.url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (asked === latest) show(data.results);
        })
        .catch(function () {
          status.textContent = "Search is unavailable; use the search box below.";
        });
    }, 200);
  });
})();
