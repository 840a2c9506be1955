// The teacher's pages ask for the class every second and swap in the sections that changed
// (netwise/app/dashboard.py). Only this server is asked (the page's CSP: connect-src 'self').
(() => {
  const root = document.documentElement;
  const poll = root.dataset.poll;
  const every = Number(root.dataset.pollMs) || 1000;
  const live = document.getElementById("nw-live");
  const liveText = live ? live.textContent : "";
  let version = root.dataset.version;
  let failures = 0;
  const swap = (el, html) => {
    // Keep what the teacher was doing: the focused button and the opened details.
    const active = document.activeElement;
    const focused = active && el.contains(active) ? active.getAttribute("data-focus") : null;
    const opened = [...el.querySelectorAll("details")].map((d) => d.open);
    el.innerHTML = html;
    el.querySelectorAll("details").forEach((d, i) => { if (opened[i]) d.open = true; });
    if (focused) {
      const again = [...el.querySelectorAll("[data-focus]")].find((e) => e.getAttribute("data-focus") === focused);
      if (again) again.focus();
    }
  };
  const tick = async () => {
    try {
      const sep = poll.includes("?") ? "&" : "?";
      const response = await fetch(`${poll}${sep}since=${encodeURIComponent(version)}`,
        { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if (data.version !== version) {
        for (const [name, html] of Object.entries(data.html || {})) {
          const el = document.querySelector(`[data-section="${name}"]`);
          if (el) swap(el, html);
        }
        version = data.version;
        root.dataset.version = version;
      }
      root.dataset.checked = String(Date.now());
      if (failures && live) live.textContent = liveText;
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures >= 3 && live) live.textContent = root.dataset.stale || "";
    }
    setTimeout(tick, every);
  };
  setTimeout(tick, every);
})();
