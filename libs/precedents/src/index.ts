// The public API of @t2s/precedents: the bank's past campaigns (offer and approved SQL) as the system's
// memory. Their SQL read back into criteria, the nearest ones to a new offer, and the criteria adopted
// from them with their provenance.

export * from './precedent';
export { readCriteria, type ReadCriteria } from './read-criteria';
export { provenanceText, type ProvenanceLanguage } from './provenance-text';
export {
  adoptCriteria,
  adoptThreshold,
  readsSameData,
  keyOf,
  nearestPrecedents,
  type AdoptOptions,
  type AdoptedCriterion,
  type Neighbour,
  type NearestOptions,
} from './adopt';
