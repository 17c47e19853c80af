// Small behaviours of the course pages.
//
// Wide graphs: a drawn graph shrunk to the column's width can end up with
// 4 px text. A graph whose text would fall under READABLE_PX keeps the size
// at which its text reads READABLE_PX and scrolls sideways in its own box;
// a click on any graph opens it full size.
(function () {
  "use strict";
  const READABLE_PX = 12;
  const GRAPH_TEXT_PT = 14; // Graphviz's default font size, in SVG units

  function textScale(img) {
    // Graphviz sizes its SVG in points: 1 unit of its viewBox = 4/3 CSS px at
    // natural size, so text of 14 units is 18.7 px there.
    return (GRAPH_TEXT_PT * 4) / 3 / img.naturalWidth;
  }

  function fit(img) {
    const box = img.parentElement;
    if (!img.naturalWidth || !box) return;
    const column = box.clientWidth || box.getBoundingClientRect().width;
    const readableWidth = Math.round(READABLE_PX / textScale(img));
    const wide = readableWidth > column && column > 0;
    img.classList.toggle("mgl-graph-wide", wide);
    img.style.width = wide ? readableWidth + "px" : "";
  }

  function prepare(img) {
    if (img.dataset.mglGraph) return;
    img.dataset.mglGraph = "1";
    const box = document.createElement("div");
    box.className = "mgl-graph-box";
    img.parentNode.insertBefore(box, img);
    box.appendChild(img);
    img.title = "Click to open the graph full size";
    img.addEventListener("click", () => window.open(img.currentSrc || img.src, "_blank", "noopener"));
    if (img.complete) fit(img);
    else img.addEventListener("load", () => fit(img));
  }

  function start() {
    const graphs = [...document.querySelectorAll("img.mgl-graph")];
    graphs.forEach(prepare);
    window.addEventListener("resize", () => graphs.forEach(fit));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
