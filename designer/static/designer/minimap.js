/* The designer's minimap: the whole drawflow canvas in a small box, each node a rectangle
 * (coloured by its node's problems and run status) and the part the canvas shows as a frame.
 * A click or a drag in the box moves the view there. drawflow has no minimap, so this one reads
 * what drawflow keeps: node elements (positioned in canvas units) and the canvas transform
 * (translate(canvas_x, canvas_y) scale(zoom), about the centre of the canvas element).
 */
(function () {
  "use strict";
  const MARGIN = 40;

  window.designerMinimap = function (editor, box) {
    const layer = document.createElement("div");
    const frame = document.createElement("div");
    layer.className = "dz-minimap-nodes";
    frame.className = "dz-minimap-view";
    box.append(layer, frame);
    let fit = { scale: 1, x: 0, y: 0 };

    // the canvas units shown by the canvas element
    function visible() {
      const w = editor.container.clientWidth;
      const h = editor.container.clientHeight;
      const z = editor.zoom;
      const x = (-editor.canvas_x - w / 2) / z + w / 2;
      const y = (-editor.canvas_y - h / 2) / z + h / 2;
      return { x, y, w: w / z, h: h / z };
    }

    function nodes() {
      return Array.from(editor.precanvas.querySelectorAll(".drawflow-node")).map((el) => (
        { el, x: el.offsetLeft, y: el.offsetTop, w: el.offsetWidth, h: el.offsetHeight }));
    }

    function refresh() {
      const view = visible();
      const all = nodes();
      const boxes = [view, ...all];
      const x0 = Math.min(...boxes.map((b) => b.x)) - MARGIN;
      const y0 = Math.min(...boxes.map((b) => b.y)) - MARGIN;
      const x1 = Math.max(...boxes.map((b) => b.x + b.w)) + MARGIN;
      const y1 = Math.max(...boxes.map((b) => b.y + b.h)) + MARGIN;
      const scale = Math.min(box.clientWidth / (x1 - x0), box.clientHeight / (y1 - y0));
      fit = { scale, x: x0, y: y0 };
      const place = (el, b) => {
        el.style.left = `${(b.x - x0) * scale}px`;
        el.style.top = `${(b.y - y0) * scale}px`;
        el.style.width = `${Math.max(b.w * scale, 2)}px`;
        el.style.height = `${Math.max(b.h * scale, 2)}px`;
      };
      layer.replaceChildren(...all.map((n) => {
        const rect = document.createElement("div");
        const marks = Array.from(n.el.classList).filter((c) => /^dz-(status|has)-/.test(c));
        rect.className = ["dz-minimap-node", ...marks].join(" ");
        rect.dataset.node = n.el.id;
        place(rect, n);
        return rect;
      }));
      place(frame, view);
    }

    // centre the canvas on the canvas point under the pointer
    function moveTo(event) {
      const bounds = box.getBoundingClientRect();
      const wx = (event.clientX - bounds.left) / fit.scale + fit.x;
      const wy = (event.clientY - bounds.top) / fit.scale + fit.y;
      const w = editor.container.clientWidth;
      const h = editor.container.clientHeight;
      editor.canvas_x = -(wx - w / 2) * editor.zoom;
      editor.canvas_y = -(wy - h / 2) * editor.zoom;
      editor.precanvas.style.transform = `translate(${editor.canvas_x}px, ${editor.canvas_y}px) scale(${editor.zoom})`;
      refresh();
    }

    let dragging = false;
    box.addEventListener("pointerdown", (event) => {
      dragging = true;
      box.setPointerCapture(event.pointerId);
      moveTo(event);
      event.preventDefault();
    });
    box.addEventListener("pointermove", (event) => { if (dragging) moveTo(event); });
    box.addEventListener("pointerup", () => { dragging = false; });
    const later = () => requestAnimationFrame(refresh);  // drawflow moves the canvas after its events
    ["translate", "zoom", "nodeMoved", "nodeCreated"].forEach((name) => editor.on(name, later));
    // drawflow stores a pan only when the mouse is released (its "translate" events come before)
    ["mouseup", "touchend"].forEach((name) => editor.container.addEventListener(name, later));
    window.addEventListener("resize", later);
    return { refresh };
  };
})();
