/** The Python tests' prerequisite check: one line that says what is missing. */
import { describe, expect, it } from 'vitest';
import { pythonProblem, requirePython } from './python.js';

describe('requirePython', () => {
  it('passes with the python3 this machine has, and names a missing one in one line', () => {
    expect(() => requirePython()).not.toThrow();
    expect(pythonProblem('python3-that-is-not-installed')).toBe("python3-that-is-not-installed is not on PATH: the Python tests need python3 >= 3.11 (see the README's prerequisites)");
  });
});
