/** The first rows as parsed; cells are plain text (React escapes them), long ones are clipped by CSS. */
export function PreviewTable({ columns, rows, caption }: { columns: string[]; rows: string[][]; caption: string }) {
  return (
    <div className="table-wrap" tabIndex={0} role="group" aria-label={caption}>
      <table className="table preview">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            {columns.map((c, i) => (
              <th scope="col" key={`${i}-${c}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              <td className="num muted">{r + 1}</td>
              {columns.map((c, i) => (
                <td key={`${i}-${c}`} title={row[i] ?? ''}>
                  <span className="cell-clip">{row[i] ?? ''}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
