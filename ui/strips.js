// Inside alpha's heat strips: one image per vector (its colours, pixel for pixel) and, on
// the rows that carry their values, the exact value of the cell under the mouse in a
// tooltip.  Built from plain data (viz.inside.strips_data); every label and value is set
// as text (textContent), never as markup.

function el(tag, className, parent) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  parent.appendChild(e);
  return e;
}

function hoverable(img, row, tip, root) {
  img.addEventListener("mousemove", (event) => {
    // the cell under the mouse at the drawn width: a narrow column shrinks the strip
    const drawn = img.getBoundingClientRect();
    const cell = Math.floor(((event.clientX - drawn.left) / drawn.width) * row.values.length);
    const i = Math.min(Math.max(cell, 0), row.values.length - 1);
    tip.textContent = `${row.label}[${i + 1}] = ${row.values[i]}`;
    const box = root.getBoundingClientRect();
    tip.style.left = `${event.clientX - box.left + 12}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
    tip.hidden = false;
  });
  img.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".inside-strips");
  if (root && root.dataset.signature === String(data.signature)) return; // drawn already
  if (!root) {
    root = el("div", "inside-strips", parentElement);
  }
  root.dataset.signature = String(data.signature);
  root.replaceChildren();
  if (data.title) el("div", "strips-title", root).textContent = data.title;
  const table = el("table", "", root);
  const tip = el("div", "strip-tip", root);
  tip.hidden = true;
  for (const row of data.rows) {
    const tr = el("tr", "", table);
    el("td", "strip-label", tr).textContent = row.label;
    const img = el("img", "strip", el("td", "", tr));
    img.src = row.png;
    img.alt = row.label;
    img.width = row.width; // at most: the stylesheet shrinks it to the column's width
    img.height = 16;
    if (row.values) hoverable(img, row, tip, root);
    el("td", "strip-note", tr).textContent = row.note;
  }
  el("div", "strips-scale", root).textContent = data.scale;
}
