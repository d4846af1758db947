// Where models are downloaded from: `?hub=<url>` wins; the dev server proxies a local hub at /hub.
export const HUGGING_FACE = 'https://huggingface.co';

export function hubBase(search: string, origin: string, dev: boolean): string {
  const fromUrl = new URLSearchParams(search).get('hub');
  if (fromUrl) return fromUrl.replace(/\/+$/, '');
  return dev ? `${origin}/hub` : HUGGING_FACE;
}

/** Only a hub on this page's own server lists local models; asking huggingface.co would just 404. */
export function servesLocalModels(hub: string, origin: string): boolean {
  try {
    return new URL(hub, origin).origin === origin;
  } catch {
    return false;
  }
}

export interface LocalModel {
  id: string;
  files: string[];
  sizeBytes: number;
}

/** Validates the dev/preview server's `/api/local-models` answer; anything odd is skipped. */
export function parseLocalModels(json: unknown): LocalModel[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((m: unknown) => {
    if (typeof m !== 'object' || m === null) return [];
    const { id, files, sizeBytes } = m as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return [];
    return [
      {
        id,
        files: Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [],
        sizeBytes: typeof sizeBytes === 'number' ? sizeBytes : 0,
      },
    ];
  });
}
