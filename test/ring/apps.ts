/** Apps for the ring simulator besides the samples: seeded random apps, and two apps sharing one ring. */

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedApp {
  yaml: string;
  summary: string;
}

/** `n` apps of 1-4 workloads: standalone counts 0-4, leader groups of 3 or 5, strict or relaxed binds to earlier workloads. */
export function generatedApps(n: number, seed = 2026): GeneratedApp[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: GeneratedApp[] = [];
  for (let i = 0; i < n; i++) {
    const count = 1 + Math.floor(rnd() * 4);
    const names = ['alpha', 'bravo', 'charlie', 'delta'].slice(0, count);
    let yaml = `apiVersion: habitat-cmp/v1\nkind: App\nmetadata:\n  name: gen${i}\nservices:\n`;
    let pods = 0;
    const leaders: string[] = [];
    const running: string[] = [];
    names.forEach((w, j) => {
      const leader = rnd() < 0.35;
      const replicas = leader ? pick([3, 5]) : pick([0, 1, 1, 2, 3, 4]);
      if (replicas > 0) running.push(w);
      pods += replicas;
      if (leader) leaders.push(`${w}x${replicas}`);
      yaml += `  ${w}:\n    image: example/${w}-hab:1.0\n    count: ${replicas}\n`;
      if (leader) yaml += `    topology: leader\n`;
      if (rnd() < 0.3) yaml += `    group: g${j}\n`;
      // Binds to earlier workloads that run pods (a strict bind to an empty group waits forever by design).
      const targets = running.filter((t) => t !== w && rnd() < 0.5);
      if (targets.length) {
        yaml += `    binds:\n${targets.map((t) => `      ${t}: ${t}\n`).join('')}`;
        if (rnd() < 0.4) yaml += `    bindingMode: relaxed\n`;
      }
    });
    out.push({ yaml, summary: `${count} workload(s), ${pods} pod(s)${leaders.length ? `, leader ${leaders.join(' ')}` : ''}` });
  }
  return out;
}

/** `shop` (namespace shop) joins the ring of `billing` (namespace money) and its web binds strictly to billing's payments group. */
export function sharedRingApps(): { ns: string; yaml: string }[] {
  return [
    {
      ns: 'shop',
      yaml: `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: shop
  namespace: shop
ring:
  join:
    - app: billing
      namespace: money
      groups: [payments.default]
services:
  web:
    image: example/web-hab:1.0
    count: 2
    binds:
      pay: {service: payments}
`,
    },
    {
      ns: 'money',
      yaml: `apiVersion: habitat-cmp/v1
kind: App
metadata:
  name: billing
  namespace: money
services:
  payments:
    image: example/payments-hab:1.0
    topology: leader
    count: 3
`,
    },
  ];
}
