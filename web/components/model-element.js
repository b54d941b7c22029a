// <attention-model>: the trained translator (#example=trained-translator) as an element, running
// the shipped model or the one its src names. The model file is fetched from the page's own origin
// (nothing else is requested), read in the page and run by the engine.
//
//   <attention-model></attention-model>                           the shipped model
//   <attention-model src="my-model.safetensors"></attention-model> a model of the same format
//
// Attributes: src (a .safetensors file in the format of the README's "A trained translator"),
// sentence (the English sentence it opens on), and the playground's controls, readonly, precision.
import { AttentionPlayground, ELEMENT_KIT } from './playground.js';
import { emit } from './element.js';
import translator, { elementState } from './examples/trained-translator.js';

export class AttentionModel extends AttentionPlayground {
  static observedAttributes = [...AttentionPlayground.observedAttributes, 'src', 'sentence'];

  #opened = null; // the src and sentence the shown state was made for

  get example() {
    return translator.id;
  }
  get src() {
    return this.getAttribute('src');
  }
  set src(v) {
    this.setAttribute('src', v);
  }

  async render() {
    const wanted = JSON.stringify([this.src, this.getAttribute('sentence')]);
    if (wanted === this.#opened) return super.render();
    this.#opened = wanted;
    try {
      await this.load(translator.id, await elementState(this, ELEMENT_KIT));
    } catch (e) {
      await this.load(translator.id); // the shipped model, and why not the one src names
      emit(this.shadowRoot.firstChild, 'attention-error', { message: `${this.src}: ${e.message}` });
    }
  }
}
