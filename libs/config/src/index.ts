export { loadStackConfig, type StackConfig } from './stack-config.js';
