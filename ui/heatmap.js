// The explorer's attention heatmap as inline SVG: click a cell or a target word to
// pick that target word.  Drawn from plain data (viz/grid.py); every label is set as
// text (textContent), never as markup, so user text cannot become HTML.

const SVG = "http://www.w3.org/2000/svg";
const RED = "#c0392b";

function node(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function text(parent, attrs, content) {
  const t = node("text", attrs, parent);
  t.textContent = content;
  return t;
}

function labelled(parent, attrs, content, tip) {
  // the tooltip sits beside the text in a group, so the text's own content stays the label
  const group = node("g", {}, parent);
  node("title", {}, group).textContent = tip;
  return text(group, attrs, content);
}

function labelWidth(labels, font) {
  const longest = labels.reduce((m, s) => Math.max(m, [...s].length), 1);
  return Math.min(180, Math.max(40, Math.ceil(longest * font * 0.62) + 14));
}

function legend(svg, g, x, top) {
  const height = Math.min(160, Math.max(60, g.rows.length * g.cell_h));
  const grad = node("linearGradient", { id: "attn-scale", x1: 0, y1: 1, x2: 0, y2: 0 },
    node("defs", {}, svg));
  g.stops.forEach((c, i) => node("stop", {
    offset: `${(100 * i) / (g.stops.length - 1)}%`, "stop-color": c }, grad));
  node("rect", { x, y: top, width: 10, height, fill: "url(#attn-scale)",
    stroke: "#ccc" }, svg);
  text(svg, { x: x + 14, y: top + 8, class: "tick" }, "1");
  text(svg, { x: x + 14, y: top + height, class: "tick" }, "0");
  text(svg, { x: x - 2, y: top - 6, class: "tick" }, "\u03b1");
}

function draw(g, choose) {
  const nR = g.rows.length, nC = g.cols.length, cw = g.cell_w, ch = g.cell_h;
  const left = labelWidth(g.rows, g.font);
  const top = g.top + (g.title ? 24 : 0);
  const width = Math.ceil(left + nC * cw + 60), height = Math.ceil(top + nR * ch + 10);
  const svg = node("svg", { width, height, viewBox: `0 0 ${width} ${height}`,
    role: "img", "aria-label": "Attention heatmap", class: "attn-svg" });
  svg.style.fontSize = `${g.font}px`;
  if (g.title) text(svg, { x: 4, y: 16, class: "title" }, g.title);
  g.cols.forEach((c, j) => {
    const x = left + j * cw + cw / 2, y = top - 6;
    labelled(svg, { x, y, class: "col-label", transform: `rotate(${g.angle} ${x} ${y})` },
      c, `source: ${c}`);
  });
  g.rows.forEach((r, i) => {
    const t = labelled(svg, { x: left - 6, y: top + i * ch + ch / 2, class: "row-label",
      "data-row": i }, r, `target: ${r}`);
    t.addEventListener("click", () => choose(i, null));
  });
  const cells = node("g", { class: "cells" }, svg);
  for (let i = 0; i < nR; i++) {
    for (let j = 0; j < nC; j++) {
      const rect = node("rect", { x: left + j * cw, y: top + i * ch, width: cw, height: ch,
        fill: g.colours[i][j], class: "cell", "data-row": i, "data-col": j }, cells);
      node("title", {}, rect).textContent =
        `${g.rows[i]} \u2190 ${g.cols[j]}: ${g.values[i][j].toFixed(3)}`;
    }
  }
  cells.addEventListener("click", (e) => {
    const cell = e.target.closest("rect.cell");
    if (cell) choose(Number(cell.dataset.row), Number(cell.dataset.col));
  });
  node("rect", { class: "sel-row", x: left, y: top, width: nC * cw, height: ch }, svg);
  node("rect", { class: "sel-cell", x: left, y: top, width: cw, height: ch,
    visibility: "hidden" }, svg);
  legend(svg, g, left + nC * cw + 22, top);
  svg.dataset.left = left;
  svg.dataset.top = top;
  return svg;
}

function mark(svg, g, row, col) {
  const left = Number(svg.dataset.left), top = Number(svg.dataset.top);
  svg.querySelector(".sel-row").setAttribute("y", top + row * g.cell_h);
  const cell = svg.querySelector(".sel-cell");
  if (col === null || col === undefined) {
    cell.setAttribute("visibility", "hidden");
  } else {
    cell.setAttribute("x", left + col * g.cell_w);
    cell.setAttribute("y", top + row * g.cell_h);
    cell.setAttribute("visibility", "visible");
  }
  svg.querySelectorAll(".row-label").forEach((t) => {
    t.classList.toggle("selected", Number(t.dataset.row) === row);
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".attn-map");
  if (!root) {
    root = document.createElement("div");
    root.className = "attn-map";
    parentElement.appendChild(root);
  }
  const g = data.grid;
  let svg = root.querySelector("svg");
  if (!svg || root.dataset.signature !== data.signature) {
    // a new matrix: draw it; a click on the same matrix only moves the marks
    svg = draw(g, (row, col) => {
      mark(svg, g, row, col);
      root.dataset.clicked = col === null ? "" : `${row},${col}`;
      setTriggerValue("row", row);
    });
    root.replaceChildren(svg);
    root.dataset.signature = data.signature;
    root.dataset.clicked = "";
  }
  const [cr, cc] = (root.dataset.clicked || "").split(",").map(Number);
  mark(svg, g, data.selected, root.dataset.clicked && cr === data.selected ? cc : null);
}
