/** A reason the comparison could not be made, told in one line without a stack. */
export class SpecDiffError extends Error {}
