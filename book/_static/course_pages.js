// Small behaviours of the course pages.
//
// Wide graphs: a drawn graph shrunk to the column's width can end up with
// 4 px text. A graph whose smallest text would fall under READABLE_PX keeps
// the width at which that text reads READABLE_PX and scrolls sideways in its
// own box; a click on any graph opens it full size. The sizes come from the
// SVG itself (its viewBox and font sizes), fetched from this site.
(function () {
  "use strict";
  const READABLE_PX = 12;

  async function measure(img) {
    // Width of the viewBox, and the smallest font size in it (SVG units).
    try {
      const text = await (await fetch(img.currentSrc || img.src)).text();
      const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      const width = Number((svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/)[2]);
      const fonts = [...svg.querySelectorAll("[font-size]")].map((el) => parseFloat(el.getAttribute("font-size")));
      const font = Math.min(...fonts.filter((f) => f > 0), 14);
      return width > 0 ? { width, font } : null;
    } catch (e) {
      return null;
    }
  }

  function fit(img, size) {
    const box = img.parentElement;
    const column = box.clientWidth;
    if (!column) return;
    const readableWidth = Math.ceil((size.width * READABLE_PX) / size.font);
    const wide = readableWidth > column;
    img.classList.toggle("mgl-graph-wide", wide);
    img.style.width = wide ? readableWidth + "px" : "";
  }

  async function prepare(img) {
    if (img.dataset.mglGraph) return;
    img.dataset.mglGraph = "1";
    const box = document.createElement("div");
    box.className = "mgl-graph-box";
    img.parentNode.insertBefore(box, img);
    box.appendChild(img);
    img.title = "Click to open the graph full size";
    img.addEventListener("click", () => window.open(img.currentSrc || img.src, "_blank", "noopener"));
    if (!img.src.split("?")[0].endsWith(".svg")) return; // a PNG keeps the plain rules
    const size = await measure(img);
    if (!size) return;
    fit(img, size);
    new ResizeObserver(() => fit(img, size)).observe(box);
  }

  function start() {
    document.querySelectorAll("img.mgl-graph").forEach(prepare);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
