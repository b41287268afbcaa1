import ProposalFeedback from './proposal-feedback.js';

/** Pending markers and pinned rejection / lint notes. */
export default {
  proposalFeedback: ['type', ProposalFeedback],
};
