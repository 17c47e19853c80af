// MathJax 3 on the course pages.
// @jupyter-widgets/html-manager typesets widget labels with the MathJax 2 call
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, node]). MathJax 3 has no Hub, so
// that call would throw on every page with a widget: give it one.
window.MathJax = window.MathJax || {};
window.MathJax.startup = {
  ready() {
    MathJax.startup.defaultReady();
    MathJax.Hub = {
      Queue(job) {
        const node = Array.isArray(job) ? job[2] : undefined;
        return MathJax.startup.promise.then(() => MathJax.typesetPromise(node ? [node] : undefined));
      },
    };
  },
};
