import { useEffect, useState } from 'react';

/** A blob: URL for downloadable data, revoked when the data changes or the component goes. */
export function useObjectUrl(data: string | Uint8Array | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (data === null) {
      setUrl(null);
      return;
    }
    // Bytes posted by the worker sit on a plain ArrayBuffer (never shared memory), so no copy is needed.
    const part = typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>);
    const u = URL.createObjectURL(new Blob([part], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [data, type]);
  return url;
}
