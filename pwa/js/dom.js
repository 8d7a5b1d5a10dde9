// Small pieces of page built by scripts. Text is always set as text, never parsed as HTML,
// so what users typed stays what they typed.

/** el("a", { className: "button", href }, "text", child…) */
export function el(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

export function button(text, className, onClick) {
  return el("button", { type: "button", className, textContent: text, onclick: onClick });
}
