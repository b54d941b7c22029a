// Types for `attention-playground/classic`: a classic script (no exports) that registers the same
// elements as `attention-playground/elements`; importing it only brings their HTMLElementTagNameMap
// entries.
import './index.js';

export {};
