/** Fuzz, second half of the runs: see test/helpers/fuzz.ts. */
import { fuzzSuite } from '../helpers/fuzzSuite.js';

fuzzSuite('fuzz b', 2511, 2600);
