import { getJson } from '../api.js';
import { Json } from '../components/Json.js';
import { clock, ms } from '../components/time.js';
import { useResource } from '../components/useResource.js';
import { href } from '../route.js';
import { plainItem } from '../tables/convert.js';
import type { Item } from '../tables/dynamodb.js';
import type { AppInfo, StreamView as StreamData } from '../types.js';
import { useLive } from '../useLive.js';

export function StreamsPage({ app, table }: { app: AppInfo; table: string | undefined }) {
  const streamed = app.tables.filter((t) => t.streamArn);
  const selected = table ?? streamed[0]?.name;
  return (
    <div className="split">
      <aside className="list" data-testid="stream-list">
        <h2>Streams</h2>
        {streamed.map((t) => (
          <a key={t.name} href={href('streams', t.name)} className={t.name === selected ? 'active' : undefined}>
            {t.name}
          </a>
        ))}
        {!streamed.length ? <div className="muted">No table has a stream.</div> : null}
      </aside>
      <section className="detail">{selected ? <StreamView key={selected} table={selected} /> : null}</section>
    </div>
  );
}

function StreamView({ table }: { table: string }) {
  const { value, error, reload } = useResource(() =>
    getJson<StreamData>(`streams/${encodeURIComponent(table)}?limit=100`),
  );
  useLive((e) => (e.type === 'stream-delivery' && e.delivery.table === table) || e.type === 'span', reload);
  return (
    <div>
      <div className="toolbar">
        <h2>{table}</h2>
        <span className="muted mono">{value?.streamArn}</span>
        <span className="spacer" />
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      {value ? (
        <>
          <h3>Shards</h3>
          <table className="grid">
            <thead>
              <tr>
                <th>shard</th>
                <th>parent</th>
                <th>sequence numbers</th>
              </tr>
            </thead>
            <tbody>
              {value.shards.map((s) => (
                <tr key={s.shardId}>
                  <td className="mono">{s.shardId}</td>
                  <td className="mono">{s.parentShardId ?? ''}</td>
                  <td className="mono">
                    {s.startingSequenceNumber} … {s.endingSequenceNumber ?? 'open'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Records (newest first)</h3>
          {!value.records.length ? <div className="muted">No records.</div> : null}
          <div className="records" data-testid="stream-records">
            {value.records.map((r) => (
              <div key={r.eventID} className="card">
                <div className="row">
                  <span className={`tag ${r.eventName.toLowerCase()}`}>{r.eventName}</span>
                  <span className="mono">{clock(r.approximateCreationDateTime)}</span>
                  <span className="mono muted">
                    {r.shardId} #{r.sequenceNumber}
                  </span>
                  <span className="mono">
                    {Object.entries(plainItem(r.keys as Item))
                      .map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                      .join(', ')}
                  </span>
                </div>
                {r.oldImage ? <Json value={{ OldImage: plainItem(r.oldImage as Item) }} /> : null}
                {r.newImage ? <Json value={{ NewImage: plainItem(r.newImage as Item) }} /> : null}
                {r.deliveries.length ? (
                  <table className="grid compact">
                    <thead>
                      <tr>
                        <th>function</th>
                        <th>attempt</th>
                        <th>batch</th>
                        <th>result</th>
                        <th>duration</th>
                        <th>trace</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.deliveries.map((d) => (
                        <tr key={`${d.functionName}-${d.attempt}-${d.start}`}>
                          <td>
                            <a href={href('functions', d.functionName)}>{d.functionName}</a>
                          </td>
                          <td>{d.attempt}</td>
                          <td>
                            {d.eventIds.length} record{d.eventIds.length === 1 ? '' : 's'}
                          </td>
                          <td className={d.result === 'ok' ? 'ok' : 'bad'}>
                            {d.result}
                            {d.error ? `: ${d.error}` : ''}
                          </td>
                          <td>{ms(d.durationMs)}</td>
                          <td>
                            {d.traceIds.map((t) => (
                              <a key={t} className="mono" href={href('traces', t)}>
                                {t.slice(-8)}{' '}
                              </a>
                            ))}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <div className="muted">not delivered to a function yet</div>
                )}
              </div>
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
