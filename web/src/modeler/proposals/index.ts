import rulesGate from '../rules-gate/index.js';
import GestureTranslator from './gesture-translator.js';

/** User gestures → proposals (contract operations), fired as `proposals.proposed`. */
export default {
  __depends__: [rulesGate],
  __init__: ['gestureTranslator'],
  gestureTranslator: ['type', GestureTranslator],
};
