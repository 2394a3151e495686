// Child process: N AppSync-protocol subscribers to onOrder (what Amplify speaks), reporting each delivery's
// arrival time by order id so the parent can compute POST → receipt latency.
import WebSocket from 'ws';

process.once('message', async ({ realtime, graphqlHost, apiKey, count }) => {
  const header = Buffer.from(JSON.stringify({ host: graphqlHost, 'x-api-key': apiKey })).toString('base64url');
  const arrivals = new Map();
  let ready = 0;
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(realtime, ['graphql-ws', `header-${header}`]);
    sockets.push(ws);
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === 'connection_ack') {
        ws.send(
          JSON.stringify({
            id: 's',
            type: 'start',
            payload: {
              data: JSON.stringify({ query: 'subscription { onOrder { id status } }', variables: {} }),
              extensions: { authorization: { host: graphqlHost, 'x-api-key': apiKey } },
            },
          }),
        );
      } else if (m.type === 'start_ack') {
        if (++ready === count) process.send({ type: 'ready' });
      } else if (m.type === 'data' && m.payload.data.onOrder.status === 'PENDING') {
        const id = m.payload.data.onOrder.id;
        const list = arrivals.get(id) ?? [];
        list.push(performance.timeOrigin + performance.now());
        arrivals.set(id, list);
      }
    });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  }
  process.on('message', (m) => {
    if (m.type === 'report') {
      process.send({ type: 'report', arrivals: Object.fromEntries(arrivals) });
      for (const ws of sockets) ws.terminate();
    }
  });
});
