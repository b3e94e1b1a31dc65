/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Jest setup of every test file: whatever a test synthesizes with cdk8s's
 * `Testing.synth` (directly or through ./manifests.ts) is recorded, and
 * validated by the real API servers and each version's kubectl once the
 * file's tests are done (./manifest-validation.ts). Coverage by construction:
 * no test has to ask for it.
 */
import { Testing } from 'cdk8s';
import { recordManifests, validateRecordedManifests } from './manifest-validation';

const synth = Testing.synth;
Testing.synth = (...args: Parameters<typeof synth>) => {
  const docs = synth.apply(Testing, args);
  recordManifests(docs);
  return docs;
};

afterAll(() => {
  expect(validateRecordedManifests()).toEqual([]);
});
