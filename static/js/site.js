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
