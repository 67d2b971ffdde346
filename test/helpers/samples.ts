import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './cli';

export interface SampleCase {
  sample: string;
  env?: string;
  /** Golden file name under test/golden. */
  golden: string;
  args: string[];
}

/** Every sample directory, once per environment it defines plus once without. */
export function sampleCases(): SampleCase[] {
  const dir = join(ROOT, 'samples');
  const out: SampleCase[] = [];
  for (const sample of readdirSync(dir).sort()) {
    const file = join(dir, sample, 'habitat.yaml');
    if (!existsSync(file)) continue;
    const doc = parse(readFileSync(file, 'utf8')) as { environments?: Record<string, unknown> };
    out.push({ sample, golden: `${sample}.yaml`, args: ['render', `samples/${sample}`] });
    for (const env of Object.keys(doc.environments ?? {}).sort()) {
      out.push({ sample, env, golden: `${sample}@${env}.yaml`, args: ['render', `samples/${sample}`, '--env', env] });
    }
  }
  return out;
}
