// A matrix of numbers as a table: token labels on both axes, numbers at a chosen precision, and
// either editable cells or focusable cells (one tab stop, arrow keys move: the grid pattern).
// Updating values rewrites the existing cells, so a repaint is cheap. Editable matrices show an
// input per cell up to INLINE_INPUTS cells; larger ones show numbers that turn into an input when
// clicked, double-clicked or typed into (thousands of idle inputs cost a frame's budget to paint).

const INLINE_INPUTS = 128;
import { emit, h, setText } from './element.js';
import { formatNumber } from './format.js';

export class MatrixView {
  /**
   * @param {{ values: number[][], rows?: string[], cols?: string[], precision?: number,
   *   editable?: boolean, focusable?: boolean, name: string, caption?: string,
   *   wrong?: [number, number][], expected?: number[][], t: Function }} options  wrong: cells marked
   *   as wrong, each with the value of `expected` beside it (a checked claim); t: the message
   *   function (web/i18n) of the language the cells' labels are written in
   */
  constructor({
    values,
    rows,
    cols,
    precision = 4,
    editable = false,
    focusable = false,
    name,
    caption,
    wrong,
    expected,
    t,
  }) {
    this.name = name;
    this.t = t;
    this.caption = caption ?? name;
    const cellCount = values.length * values[0].length;
    this.lazyEdit = editable && cellCount > INLINE_INPUTS; // numbers that become inputs on demand
    this.editable = editable && !this.lazyEdit;
    this.focusable = focusable || this.lazyEdit;
    this.precision = precision;
    this.shape = [values.length, values[0].length];
    this.cells = [];
    this.active = [0, 0];
    this.marked = new Set((wrong ?? []).map(([i, j]) => `${i},${j}`));
    const table = h('table', { class: editable ? 'matrix editable' : 'matrix', 'data-matrix': name });
    editable = this.editable;
    focusable = this.focusable;
    if (caption) table.append(h('caption', {}, caption));
    this.colHeads = (cols ?? []).map((c) => h('th', { scope: 'col' }, c));
    this.rowHeads = [];
    // the corner cell above the row labels, only where there are row labels: without it, the
    // column labels stand over their own columns
    if (cols) table.append(h('thead', {}, h('tr', {}, rows ? h('td') : null, ...this.colHeads)));
    const body = h('tbody');
    values.forEach((row, i) => {
      const head = rows ? h('th', { scope: 'row' }, rows[i]) : null;
      if (head) this.rowHeads.push(head);
      const tr = h('tr', {}, head);
      const cellRow = [];
      row.forEach((v, j) => {
        let cell;
        if (editable) {
          const input = h('input', {
            value: formatEditable(v),
            inputmode: 'decimal',
            'aria-label': t('matrix.cell', { name: caption ?? name, row: i + 1, col: j + 1 }),
            'data-row': String(i),
            'data-col': String(j),
            spellcheck: false,
          });
          input.addEventListener('change', () => this.#edit(input, i, j));
          input.addEventListener('input', () => this.#edit(input, i, j));
          cell = h('td', {}, input);
        } else {
          const marked = this.marked.has(`${i},${j}`);
          cell = h(
            'td',
            {
              class: this.lazyEdit ? 'num edit' : marked ? 'num wrong' : 'num',
              'data-row': String(i),
              'data-col': String(j),
            },
            marked && expected
              ? [
                  h('s', { class: 'claimed' }, this.#text(v)),
                  ' ',
                  h('span', { class: 'expected', title: t('matrix.enginesValue') }, this.#text(expected[i][j])),
                ]
              : this.#text(v),
          );
          if (focusable) {
            cell.tabIndex = i === 0 && j === 0 ? 0 : -1;
            cell.addEventListener('focus', () => this.#focus(i, j));
            cell.addEventListener('click', () => (this.lazyEdit ? this.#startEdit(i, j) : cell.focus()));
            if (this.lazyEdit)
              cell.setAttribute('aria-label', t('matrix.cellEdit', { name: this.caption, row: i + 1, col: j + 1 }));
          }
        }
        cellRow.push(cell);
        tr.append(cell);
      });
      this.cells.push(cellRow);
      body.append(tr);
    });
    table.append(body);
    if (focusable) table.addEventListener('keydown', (e) => this.#key(e));
    this.el = table;
    this.values = values;
  }

  /** New token labels of the same counts, written in place. */
  setLabels(rows = [], cols = []) {
    rows.forEach((r, i) => this.rowHeads[i] && setText(this.rowHeads[i], r));
    cols.forEach((c, j) => this.colHeads[j] && setText(this.colHeads[j], c));
  }

  /** Same shape: rewrite the numbers in place. Returns false if the shape differs (rebuild instead). */
  update(values, precision = this.precision) {
    if (values.length !== this.shape[0] || values[0].length !== this.shape[1]) return false;
    this.values = values;
    this.precision = precision;
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values[i].length; j++) {
        const cell = this.cells[i][j];
        if (this.editable) {
          const input = cell.firstChild;
          // never overwrite what the user is typing
          const text = formatEditable(values[i][j]);
          if (input.value !== text && input.getRootNode().activeElement !== input) input.value = text;
        } else if (cell.firstChild?.nodeName !== 'INPUT' && !this.marked.has(`${i},${j}`)) {
          setText(cell, this.#text(values[i][j]));
        }
      }
    }
    return true;
  }

  #edit(input, i, j) {
    const text = input.value.trim().replace('−', '-');
    const value = text === '' ? NaN : Number(text);
    if (!Number.isFinite(value)) {
      input.setAttribute('aria-invalid', 'true');
      emit(input, 'attention-invalid', { name: this.name, row: i, col: j, text: input.value });
      return;
    }
    input.removeAttribute('aria-invalid');
    emit(input, 'attention-edit', { name: this.name, row: i, col: j, value });
  }

  #focus(i, j) {
    this.cells[this.active[0]][this.active[1]].tabIndex = -1;
    this.active = [i, j];
    this.cells[i][j].tabIndex = 0;
    emit(this.el, 'attention-cell-focus', { matrix: this.name, row: i, col: j, value: this.values[i][j] });
  }

  #text(v) {
    return this.lazyEdit ? formatEditable(v) : formatNumber(v, this.precision);
  }

  /** Swaps an input into cell (i, j) (lazy editing); Enter or leaving commits, Escape cancels. */
  #startEdit(i, j, initial) {
    const cell = this.cells[i][j];
    if (cell.firstChild?.nodeName === 'INPUT') return;
    const input = h('input', {
      value: initial ?? formatEditable(this.values[i][j]),
      inputmode: 'decimal',
      spellcheck: false,
      'aria-label': this.t('matrix.cell', { name: this.caption, row: i + 1, col: j + 1 }),
      'data-row': String(i),
      'data-col': String(j),
    });
    const finish = (commit) => {
      if (!input.isConnected) return;
      if (commit) this.#edit(input, i, j);
      if (!commit || input.getAttribute('aria-invalid') !== 'true') {
        cell.textContent = this.#text(this.values[i][j]);
        cell.focus();
      }
    };
    input.addEventListener('input', () => this.#edit(input, i, j));
    input.addEventListener('keydown', (e) => {
      e.stopPropagation(); // arrows move the caret, not the grid
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
    cell.replaceChildren(input);
    input.focus();
    if (initial === undefined) input.select();
  }

  #key(e) {
    const [i, j] = this.active;
    if (this.lazyEdit && (e.key === 'Enter' || e.key === 'F2')) {
      e.preventDefault();
      this.#startEdit(i, j);
      return;
    }
    if (this.lazyEdit && e.key.length === 1 && /[-0-9.]/.test(e.key)) {
      e.preventDefault();
      this.#startEdit(i, j, e.key); // typing a number starts editing, as in a spreadsheet
      return;
    }
    const moves = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1] };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const [r, c] = moves[e.key];
    if (r < 0 || c < 0 || r >= this.shape[0] || c >= this.shape[1]) return;
    this.cells[r][c].focus();
  }
}

function formatEditable(v) {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
