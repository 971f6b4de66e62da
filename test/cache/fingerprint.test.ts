/** The inputs fingerprint: the same for the same inputs wherever they are, different when anything the output depends on differs. */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatorFingerprint, inputsFingerprint, type FingerprintSource } from '../../src/cache/fingerprint.js';
import { DEFAULT_OPTIONS } from '../../src/options.js';
import { MINIMAL_DIR, tempDir } from '../helpers/fixtures.js';

function specCopy(): string {
  const dir = path.join(tempDir('sac-fp-'), 'spec');
  cpSync(MINIMAL_DIR, dir, { recursive: true });
  return dir;
}

const base = (spec: string): FingerprintSource => ({ ...DEFAULT_OPTIONS, spec, formatters: [] });

describe('inputsFingerprint', () => {
  it('is the same for the same bytes in another directory, and a SHA-256', () => {
    const a = inputsFingerprint(base(specCopy()));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsFingerprint(base(specCopy()))).toBe(a);
  });

  it('changes with a byte of any document, and with a document added or removed', () => {
    const spec = specCopy();
    const seen = new Set([inputsFingerprint(base(spec))]);
    writeFileSync(path.join(spec, 'TYPES.md'), 'x', { flag: 'a' });
    seen.add(inputsFingerprint(base(spec)));
    rmSync(path.join(spec, 'EVENTS.md'));
    seen.add(inputsFingerprint(base(spec)));
    expect(seen.size).toBe(3);
    expect([...seen].every((f) => f !== undefined)).toBe(true);
  });

  it('changes with every option that shapes the output, the formatters and the config text', () => {
    const spec = specCopy();
    const variants: FingerprintSource[] = [
      base(spec),
      { ...base(spec), targets: ['docs'] },
      { ...base(spec), era: 'seed' },
      { ...base(spec), pythonPackage: 'other' },
      { ...base(spec), pythonDistName: 'other-dist' },
      { ...base(spec), pythonDistVersion: '1.0' },
      { ...base(spec), modelPositions: true },
      { ...base(spec), gitattributes: true },
      { ...base(spec), formatters: [{ target: 'python', argv: ['black', '-q'] }] },
      { ...base(spec), configText: '{}' },
    ];
    const prints = variants.map((v) => inputsFingerprint(v));
    expect(new Set(prints).size).toBe(variants.length);
    // The order in which targets are named does not shape the output.
    expect(inputsFingerprint({ ...base(spec), targets: ['python', 'docs'] })).toBe(
      inputsFingerprint({ ...base(spec), targets: ['docs', 'python'] }),
    );
  });

  it('reads the override templates by content, not by where they are', () => {
    const spec = specCopy();
    const templates = (text: string) => {
      const dir = tempDir('sac-fp-tpl-');
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'docs/EVENTS.md.hbs'), text);
      return dir;
    };
    const withTemplates = (dir: string) => inputsFingerprint({ ...base(spec), templatesDir: dir });
    expect(withTemplates(templates('a'))).toBe(withTemplates(templates('a')));
    expect(withTemplates(templates('a'))).not.toBe(withTemplates(templates('b')));
    expect(withTemplates(templates('a'))).not.toBe(inputsFingerprint(base(spec)));
  });

  it('is undefined when an input cannot be read as it stands (the full run reports it)', () => {
    const spec = specCopy();
    rmSync(path.join(spec, 'COMMANDS.md'));
    expect(inputsFingerprint(base(spec))).toBeUndefined();
    expect(inputsFingerprint({ ...base(specCopy()), templatesDir: '/nonexistent/templates' })).toBeUndefined();
  });
});

describe('generatorFingerprint', () => {
  it('is a SHA-256, the same every time in one process', () => {
    expect(generatorFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(generatorFingerprint()).toBe(generatorFingerprint());
  });
});
