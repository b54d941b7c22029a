// A box that scrolls sideways (a wide formula, matrix or table on a phone) shows that it does: its
// edge fades where more lies beyond it (data-more="left", "right" or both; styles.js), so that a
// number cut at the edge does not pass for a whole one ("0.046" of 0.0461).
const boxes = new WeakMap(); // an observed node (a box or its content) → its box
const resized =
  typeof ResizeObserver === 'function'
    ? new ResizeObserver((entries) => {
        for (const e of entries) {
          // a box or content taken out of the page (a step rebuilt, a formula replaced) is let go
          if (!e.target.isConnected) resized.unobserve(e.target);
          else if (boxes.has(e.target)) markOverflow(boxes.get(e.target));
        }
      })
    : null;

/** Sets box.dataset.more to the sides where its content goes on beyond what it shows. */
export function markOverflow(box) {
  const more = [];
  if (box.scrollLeft > 1) more.push('left');
  if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) more.push('right');
  const value = more.join(' ');
  if ((box.dataset.more ?? '') === value) return;
  if (value) box.dataset.more = value;
  else delete box.dataset.more;
}

/** Keeps `box`'s data-more up to date as it scrolls and as it or its content (its children now) resize. */
export function watchOverflow(box) {
  if (!resized) return box;
  if (!boxes.has(box)) box.addEventListener('scroll', () => markOverflow(box), { passive: true });
  for (const node of [box, ...box.children]) {
    boxes.set(node, box);
    resized.observe(node);
  }
  return box;
}
