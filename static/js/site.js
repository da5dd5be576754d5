// Small enhancements for every page. The site works without them: no content depends on JS.
// Kept in a file (not inline) so the Content Security Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", () => {
  // The menu button on narrow screens shows and hides the menu (Bootstrap's .collapse/.show).
  for (const button of document.querySelectorAll("[data-menu-toggle]")) {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) continue;
    button.addEventListener("click", () => {
      const open = menu.classList.toggle("show");
      button.setAttribute("aria-expanded", String(open));
    });
  }

  // An error summary takes focus, so screen reader users hear what went wrong at once.
  const target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
  }
});

// Choosing a day on the time page: without JavaScript the link reloads the page at #times.
// With it, the day's times are fetched and swapped in, focus moves to them and the change is
// announced (the status region), so nobody tabs through the whole page again.
(function () {
  "use strict";
  var live = document.getElementById("times-status");
  var region = document.getElementById("day-picker");
  if (!live || !region || !window.fetch || !window.DOMParser) return;

  function show(url, html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("day-picker");
    if (!fresh) throw new Error("no day picker in the answer");
    region.replaceWith(fresh);
    region = fresh;
    window.history.pushState(null, "", url);
    var times = document.getElementById("times");
    if (!times) return;
    var legend = times.querySelector("legend");
    var count = times.querySelectorAll("input[name=slot]").length;
    live.textContent = (legend ? legend.textContent.trim() : "Times") + ": " + count +
      (count === 1 ? " time" : " times") + " shown.";
    times.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.day-link");
    if (!link || !region.contains(link) || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var url = link.href;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { show(url, html); })
      .catch(function () { window.location.href = url; });
  });
  window.addEventListener("popstate", function () { window.location.reload(); });
})();
