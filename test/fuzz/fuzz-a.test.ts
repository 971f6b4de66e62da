/** Fuzz, first half of the runs: see test/helpers/fuzz.ts. */
import { fuzzSuite } from '../helpers/fuzzSuite.js';

fuzzSuite('fuzz a', 1129, 2600);
