// Module resolve hook (runs on the loader thread): `electron` is the fake.
let fakeUrl = '';

export function initialize(data: { fakeUrl: string }): void {
  fakeUrl = data.fakeUrl;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<{ url: string }>,
): Promise<{ url: string; shortCircuit?: boolean; format?: string }> {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}
