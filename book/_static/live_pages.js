// Live widgets on the course pages, with no Python behind them.
//
// When a lesson runs, each live widget saves a record next to its state
// (micrograd_lite/live/page_record.py says what it holds). Once
// @jupyter-widgets/html-manager has drawn the saved widgets, this script finds
// each record and brings its widget back to life:
//
//   live graph  moving a slider recomputes every node's data and grad with the
//               engine's maths (copied below from engine.py and numerics.py)
//               and redraws the numbers layer as layout.py does: the same
//               format_number text, highlights and grad colours;
//   stepper     Next, Back, Reset, Play and the step slider show the steps
//               Python recorded, text and picture;
//   training    Play, Step and Reset replay a run recorded when the lesson ran.
//
// A widget with no record, or whose record says it cannot be replayed, is made
// visibly inert: its controls are disabled and the note under it says why.
(function () {
  "use strict";

  // ------------------------------------------------------------ numbers
  // graph.format_number: 4 decimals, exponent form from 1e5, "inf"/"nan".
  // JavaScript's toFixed and toExponential round an exact tie away from zero,
  // Python's format rounds it to even: ties are found and rounded here.
  function formatNumber(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    x = x + 0; // -0 -> 0
    const sign = x < 0 ? "-" : "";
    const a = Math.abs(x);
    if (a < 1e5) {
      const text = sign + fixed4(a);
      return text === "-0.0000" ? "0.0000" : text;
    }
    return sign + exponent4(a);
  }

  function fixed4(a) {
    const five = a.toFixed(5);
    if (five.endsWith("5") && a.toFixed(25) === five + "0".repeat(20)) {
      const down = five.slice(0, -1); // the exact value is halfway: round to even
      return Number(down.slice(-1)) % 2 === 0 ? down : a.toFixed(4);
    }
    return a.toFixed(4);
  }

  function exponent4(a) {
    let text = a.toExponential(4);
    const five = a.toExponential(5);
    const [m5, e5] = five.split("e");
    const [m20, e20] = a.toExponential(20).split("e");
    if (m5.endsWith("5") && e5 === e20 && m20 === m5 + "0".repeat(15)) {
      const down = m5.slice(0, -1);
      if (Number(down.slice(-1)) % 2 === 0) text = down + "e" + e5;
    }
    const [mantissa, power] = text.split("e");
    const digits = power.replace(/^[+-]/, "");
    return mantissa + "e" + (power[0] === "-" ? "-" : "+") + (digits.length < 2 ? "0" + digits : digits);
  }

  function fromRecord(x) {
    if (x === "inf") return Infinity;
    if (x === "-inf") return -Infinity;
    if (x === "nan") return NaN;
    return x;
  }

  // ------------------------------------------------------------ the engine's maths
  // numerics.py: IEEE results where Python would raise. JavaScript already
  // gives inf and nan; only pow differs, where C's pow says 1.
  function safeLog(x) {
    if (x > 0) return Math.log(x);
    if (x === 0) return -Infinity;
    return NaN;
  }
  function safePow(x, n) {
    if (x === 1 || n === 0) return 1;
    if (x === -1 && (n === Infinity || n === -Infinity)) return 1;
    return Math.pow(x, n);
  }
  function sigmoid(x) {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    if (Number.isNaN(x)) return x;
    const e = Math.exp(x);
    return e / (1 + e);
  }

  // [data, local grads] of one node, as engine.py's Value methods compute them.
  function apply(node, a, b) {
    switch (node.op) {
      case "+": return [a + b, [1, 1]];
      case "-":
        if (node.args.length === 1) return [-a, [-1]];
        return [a - b, [1, -1]];
      case "*": return [a * b, [b, a]];
      case "/": return [a / b, [1 / b, -(a / (b * b))]];
      case "**": {
        if (node.args.length === 1) {
          const n = fromRecord(node.exponent);
          return [safePow(a, n), [n * safePow(a, n - 1)]];
        }
        const out = safePow(a, b);
        return [out, [b * safePow(a, b - 1), a !== 0 ? out * safeLog(a) : 0]];
      }
      case "exp": { const out = Math.exp(a); return [out, [out]]; }
      case "log": return [safeLog(a), [1 / a]];
      case "tanh": { const t = Math.tanh(a); return [t, [1 - t * t]]; }
      case "sigmoid": { const s = sigmoid(a); return [s, [s * (1 - s)]]; }
      case "relu": return [a <= 0 ? 0 : a, [a > 0 ? 1 : 0]];
      default: throw new Error("the page cannot compute " + node.op);
    }
  }

  // Forward and backward through the record's graph: {data, grad} per node.
  function evaluate(record, values) {
    const nodes = record.nodes;
    const data = new Array(nodes.length);
    const local = new Array(nodes.length);
    nodes.forEach((node, i) => {
      if (!node.args.length) {
        data[i] = node.slider !== undefined ? values[node.slider] : fromRecord(node.data);
        local[i] = [];
      } else {
        const [out, grads] = apply(node, data[node.args[0]], data[node.args[1]]);
        data[i] = out;
        local[i] = grads;
      }
    });
    const grad = new Array(nodes.length).fill(0);
    grad[nodes.length - 1] = 1;
    for (let i = nodes.length - 1; i >= 0; i--) {
      nodes[i].args.forEach((child, k) => { grad[child] += local[i][k] * grad[i]; });
    }
    return { data, grad };
  }

  // ------------------------------------------------------------ grad colours
  // graph.grad_fill: hue by sign, strength by |grad| alone on a log scale,
  // faint at colours.faint, full at colours.full, none below colours.zero.
  // The record carries the scale's numbers and the opacity of every level.
  function roundHalfEven(v) {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
  }
  function gradLevel(g, c) {
    const size = Math.abs(g);
    if (!(size >= c.zero)) return null; // also nan
    if (size >= c.full) return c.levels; // also inf
    const strength = (Math.log10(size) - Math.log10(c.faint)) / Math.log10(c.full / c.faint);
    return Math.min(c.levels, Math.max(0, roundHalfEven(strength * c.levels)));
  }
  function gradFill(g, colours) {
    if (Number.isNaN(g)) return [colours.nan, "0.4"];
    const level = gradLevel(g, colours);
    if (level === null) return null;
    return [g > 0 ? colours.positive : colours.negative, colours.opacity[level]];
  }

  // ------------------------------------------------------------ the numbers layer
  // The record's template is the numbers layer with every piece present and
  // tagged data-mgl-node / data-mgl-field; each redraw fills it in.
  function NumbersLayer(box, record) {
    box.innerHTML = record.template;
    const svg = box.querySelector("svg");
    const pieces = record.nodes.map(() => ({}));
    svg.querySelectorAll("[data-mgl-field]").forEach((el) => {
      pieces[Number(el.getAttribute("data-mgl-node"))][el.getAttribute("data-mgl-field")] = el;
    });
    return {
      svg,
      draw(texts, grads, highlighted, current, seq) {
        const marked = new Set(highlighted);
        pieces.forEach((p, i) => {
          p.data.textContent = texts[i][0];
          p.grad.textContent = texts[i][1];
          const fill = gradFill(grads[i], record.colours);
          if (fill) {
            p["grad-fill"].setAttribute("fill", fill[0]);
            p["grad-fill"].setAttribute("fill-opacity", fill[1]);
          }
          p["grad-fill"].style.display = fill ? "" : "none";
          const colour = i === current ? record.colours.current
            : marked.has(i) ? record.colours.highlight : null;
          for (const [field, attr] of [["mark-fill", "fill"], ["mark-line", "stroke"]]) {
            if (!p[field]) continue;
            if (colour) p[field].setAttribute(attr, colour);
            p[field].style.display = colour ? "" : "none";
          }
        });
        svg.setAttribute("data-seq", String(seq));
      },
    };
  }

  // ------------------------------------------------------------ widget pieces
  function sliderOf(el) {
    const handle = el.querySelector(".slider");
    return handle && handle.noUiSlider ? handle.noUiSlider : null;
  }

  function disableAll(root) {
    root.querySelectorAll("button, input, select, textarea").forEach((el) => { el.disabled = true; });
    root.querySelectorAll(".slider").forEach((el) => el.setAttribute("disabled", "true"));
    root.querySelectorAll(".widget-readout").forEach((el) => { el.contentEditable = "false"; });
    root.classList.add("mgl-inert");
  }

  function liveGraph(root, record) {
    const sliderEls = [...root.querySelectorAll(".widget-slider")];
    const sliders = sliderEls.map(sliderOf);
    const box = root.querySelector(".mgl-numbers-layer .widget-html-content");
    if (sliders.length !== record.sliders.length || sliders.includes(null) || !box) return false;
    const layer = NumbersLayer(box, record);
    let shown = record.shown;
    let seq = record.renders;
    let last = null;
    function redraw() {
      const values = {};
      record.sliders.forEach((name, k) => { values[name] = Number(sliders[k].get()); });
      const key = JSON.stringify(record.sliders.map((n) => values[n]));
      if (key === last) return;
      const { data, grad } = evaluate(record, values);
      const texts = data.map((d, i) => [formatNumber(d), formatNumber(grad[i])]);
      const highlighted = last === null ? record.highlighted : texts
        .map((t, i) => (t[0] !== shown[i][0] || t[1] !== shown[i][1] ? i : -1)).filter((i) => i >= 0);
      if (last !== null) seq += 1;
      last = key;
      shown = texts;
      layer.draw(texts, grad, highlighted, null, seq);
    }
    redraw(); // the saved picture, now drawn from the template
    sliders.forEach((s) => s.on("update.mgl", redraw));
    // "fit to width" / "natural size", for a graph wider than the column:
    // both layers take the style Python gives them for that choice.
    const sizes = root.querySelectorAll(".widget-toggle-buttons button");
    ["fit", "natural"].forEach((choice, k) => {
      if (!sizes[k] || !record.sizes || !record.sizes[choice]) return;
      sizes[k].addEventListener("click", () => {
        root.querySelectorAll(".mgl-picture svg").forEach((svg) => svg.setAttribute("style", record.sizes[choice]));
      });
    });
    root.classList.add("mgl-live");
    return true;
  }

  function stepper(root, record) {
    const buttons = [...root.querySelectorAll(".widget-button")];
    const position = sliderOf(root.querySelector(".widget-slider") || document.createElement("div"));
    const text = root.querySelectorAll(".widget-html-content")[0]; // the step's text comes first
    const box = root.querySelector(".mgl-numbers-layer .widget-html-content");
    if (buttons.length < 3 || !position || !text || !box) return false;
    const [back, next, reset] = buttons;
    const last = record.steps.length - 1;
    const at = () => Math.round(Number(position.get()));
    function show() {
      const k = Math.max(0, Math.min(last, at()));
      text.innerHTML = record.steps[k].text;
      box.innerHTML = record.steps[k].numbers;
      back.disabled = k === 0;
      next.disabled = k === last;
    }
    back.addEventListener("click", () => position.set(Math.max(0, at() - 1)));
    next.addEventListener("click", () => position.set(Math.min(last, at() + 1)));
    reset.addEventListener("click", () => position.set(0));
    position.on("update.mgl", show);
    show();
    root.classList.add("mgl-live");
    return true;
  }

  function training(root, record) {
    const buttons = [...root.querySelectorAll(".widget-button")];
    const image = root.querySelector("img");
    const status = root.querySelectorAll(".widget-html-content")[0];
    if (buttons.length < 3 || !image || !status) return false;
    const [play, step, reset] = buttons;
    const rate = root.querySelector(".widget-slider");
    if (rate) disableAll(rate); // a recorded run has the rate it was recorded with
    const last = record.frames.length - 1;
    let frame = last; // the trained state first: the lesson's picture
    let timer = null;
    const label = (word, icon) => {
      play.innerHTML = `<i class="fa fa-${icon}"></i>${word}`;
    };
    function show(k) {
      frame = k;
      image.src = record.frames[k];
      status.innerHTML = record.statuses[k];
      image.alt = "Training, " + status.textContent.trim() + ": the loss so far"
        + (record.boundary ? " and the network's decision boundary" : "");
      step.disabled = k === last;
      root.setAttribute("data-mgl-frame", String(k));
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      label("Play", "play");
    }
    play.addEventListener("click", () => {
      if (timer) return stop();
      if (frame === last) show(0);
      label("Pause", "pause");
      timer = setInterval(() => (frame < last ? show(frame + 1) : stop()), 250);
    });
    step.addEventListener("click", () => { if (frame < last) show(frame + 1); });
    reset.addEventListener("click", () => { stop(); show(0); });
    show(last);
    root.classList.add("mgl-live");
    return true;
  }

  const KINDS = { live_graph: liveGraph, stepper, training };

  // ------------------------------------------------------------ finding widgets
  function readRecord(el) {
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function wake(output, attempt) {
    if (output.dataset.mglDone) return;
    const holder = output.querySelector("code.mgl-record");
    const record = holder && readRecord(holder);
    const root = holder && holder.closest(".widget-html").parentElement;
    if (record && record.live && KINDS[record.kind]) {
      if (KINDS[record.kind](root, record)) {
        output.dataset.mglDone = "live";
        return;
      }
      if (attempt < 40) { // its children may still be on their way
        setTimeout(() => wake(output, attempt + 1), 50);
        return;
      }
    } else if (!holder && attempt < 4) {
      setTimeout(() => wake(output, attempt + 1), 50);
      return;
    }
    output.dataset.mglDone = "inert";
    disableAll(output);
  }

  function scan() {
    document.querySelectorAll(".widget-subarea").forEach((output) => {
      if (!output.dataset.mglSeen && output.querySelector(".jupyter-widgets")) {
        output.dataset.mglSeen = "1";
        wake(output, 0);
      }
    });
  }

  const api = { formatNumber, evaluate, gradFill };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api; // node, for the tests that compare it with Python
    return;
  }
  window.mglLive = api;
  const observer = new MutationObserver(scan);
  const start = () => {
    observer.observe(document.body, { childList: true, subtree: true });
    scan();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
