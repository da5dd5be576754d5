// Small enhancements for every page. The site works without them: no content depends on JS.
// Kept in a file (not inline) so the Content Security Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", () => {
  // An error summary takes focus, so screen reader users hear what went wrong at once.
  const target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
  }
});
