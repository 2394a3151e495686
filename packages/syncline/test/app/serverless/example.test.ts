// The reference app ships as syncline.config.ts and as serverless.yml: both must describe the same app.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';

const example = fileURLToPath(new URL('../../../../../examples/realtime-orders', import.meta.url));

describe('examples/realtime-orders as serverless.yml', () => {
  it('loads into the same app as its syncline.config.ts', async () => {
    const config = await loadApp(example, { data: ':memory:' });
    const sls = await loadApp(join(example, 'serverless.yml'), { data: ':memory:' });
    expect(sls.format).toBe('serverless');
    expect(sls.name).toBe(config.name);
    expect(sls.web).toEqual(config.web);
    // Same table shape; the Serverless name carries service and stage, as it would on AWS.
    const { name: _a, ...slsTable } = sls.tables.OrdersTable;
    const { name: _b, ...configTable } = config.tables.Orders;
    expect(slsTable).toEqual(configTable);
    expect(sls.tables.OrdersTable.name).toBe('realtime-orders-dev-orders');
    for (const fn of Object.keys(config.functions)) {
      const a = config.functions[fn];
      const b = sls.functions[fn];
      expect(b.handler).toEqual(a.handler);
      expect([b.timeout, b.memorySize]).toEqual([a.timeout, a.memorySize]);
      expect(b.events.map((e) => (e.type === 'stream' ? { ...e, table: 'Orders' } : e))).toEqual(a.events);
    }
    expect(sls.functions.publishOrder.environment.GRAPHQL_URL).toBe(
      config.functions.publishOrder.environment.GRAPHQL_URL,
    );
    expect(sls.functions.createOrder.environment.TABLE).toBe('realtime-orders-dev-orders');
    const strip = (g: typeof config.graphql) => ({
      ...g,
      apiKeys: g?.apiKeys.map((k) => k.name),
      dataSources: Object.fromEntries(Object.entries(g?.dataSources ?? {}).map(([k, v]) => [k, v.type])),
    });
    expect(strip(sls.graphql)).toEqual(strip(config.graphql));
  });
});
