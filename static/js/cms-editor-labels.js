/*
 * Wagtail's rich-text editor (Draftail) renders a contenteditable textbox with no accessible
 * name, so a screen reader announces only "edit text". Name each one after its field's label
 * (or its block's heading inside a StreamField), now and whenever a block is added.
 */
(function () {
  "use strict";

  function labelFor(editor) {
    var field = editor.closest(".w-field, [data-field]");
    var label = field && field.querySelector("label, .w-field__label");
    if (label && label.textContent.trim()) {
      return label.textContent.replace(/\*/g, "").trim();
    }
    var block = editor.closest("[data-streamfield-child], .w-panel");
    var heading = block && block.querySelector("[data-panel-heading-text], h2, h3");
    return heading && heading.textContent.trim() ? heading.textContent.trim() : "Rich text";
  }

  function nameEditors(root) {
    root.querySelectorAll('[contenteditable="true"][role="textbox"]').forEach(function (editor) {
      if (!editor.getAttribute("aria-label") && !editor.getAttribute("aria-labelledby")) {
        editor.setAttribute("aria-label", labelFor(editor));
      }
    });
  }

  function start() {
    nameEditors(document);
    new MutationObserver(function () {
      nameEditors(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
