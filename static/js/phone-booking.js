// Phone booking at speed: the free times load as soon as the appointment, practitioner and day
// are chosen, and picking one fills in the time and practitioner without reloading the page
// (so nothing typed is lost). Without this script the "Show free times" and time buttons post
// the whole form back, which keeps everything typed too.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("phone-booking");
  if (!form) return;
  const url = form.dataset.freeTimesUrl;
  const field = (name) => form.elements.namedItem(name);
  const panel = () => document.getElementById("free-times-list");

  let pending = null;
  const refresh = async () => {
    const service = field("service").value;
    const day = field("day").value;
    if (!service || !day) return;
    const query = new URLSearchParams({ service, day, practitioner: field("practitioner").value });
    if (pending) pending.abort();
    pending = new AbortController();
    try {
      const response = await fetch(`${url}?${query}`, {
        signal: pending.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("free-times-list");
      if (fresh && panel()) panel().replaceWith(fresh);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  };

  for (const name of ["service", "practitioner", "day"]) {
    field(name).addEventListener("change", refresh);
  }
  const show = document.getElementById("show-free-times");
  if (show) show.hidden = true; // the times follow the choices by themselves now
  if (field("service").value && field("day").value && !panel().querySelector("button")) refresh();

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=pick]");
    if (!button) return;
    event.preventDefault();
    field("time").value = button.dataset.time;
    field("practitioner").value = button.dataset.practitioner;
    for (const other of form.querySelectorAll("button[name=pick]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    field("name").focus();
  });

  const warning = document.getElementById("override-warning");
  if (warning) warning.focus();
});
