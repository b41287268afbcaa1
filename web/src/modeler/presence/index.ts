import RemoteSelections from './remote-selections.js';

/** What other users in the diagram have selected, outlined on the canvas. */
export default {
  remoteSelections: ['type', RemoteSelections],
};
