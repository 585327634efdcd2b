// The floor board polls its small JSON endpoint and redraws the tables; a tap posts the step with the CSRF token.
(function () {
  const board = document.getElementById("catering-board");
  if (!board) return;
  const csrf = board.dataset.csrf;
  const text = (tag, className, value) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  };
  function draw(data) {
    board.replaceChildren(...data.tables.map((table) => {
      const section = document.createElement("section");
      section.className = "catering-table " + (table.urgency || "");
      section.dataset.table = table.id;
      section.append(text("strong", "", table.name));
      if (!table.requests.length) section.append(text("p", "muted", board.dataset.nothing));
      for (const item of table.requests) {
        const row = document.createElement("div");
        row.className = "catering-request " + item.urgency;
        row.dataset.ticket = item.id;
        row.append(text("span", "", item.type + ": " + item.title + " "),
                   text("span", "catering-wait", board.dataset.waited.replace("N", item.waited_minutes)));
        if (item.assignee) row.append(text("small", "", " · " + item.assignee));
        for (const step of item.steps) {
          const button = text("button", "", step.label);
          button.type = "button";
          button.addEventListener("click", () => take(item.id, step.key));
          row.append(" ", button);
        }
        section.append(row);
      }
      return section;
    }));
    document.getElementById("catering-updated").textContent = new Date().toLocaleTimeString();
  }
  async function refresh() {
    try {
      const response = await fetch(board.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) draw(await response.json());
    } catch (error) { /* offline for a moment: the next poll retries */ }
  }
  async function take(ticketId, step) {
    const url = board.dataset.stepUrl.replace("/0/", "/" + ticketId + "/").replace("STEP", step);
    const body = new URLSearchParams({ csrf_token: csrf });
    await fetch(url, { method: "POST", body, headers: { Accept: "application/json", "X-CSRFToken": csrf } });
    refresh();
  }
  setInterval(refresh, Number(board.dataset.poll) * 1000);
})();
