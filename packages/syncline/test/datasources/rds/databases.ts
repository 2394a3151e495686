// The test databases: `syncline_rds` on the machine's PostgreSQL and MariaDB, with a fresh `books` table each.
import { createConnection } from 'mysql2/promise';
import pg from 'pg';

export const DATABASE = 'syncline_rds';

export async function resetPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
  await db.connect();
  try {
    await db.query('DROP TABLE IF EXISTS books');
    await db.query(
      `CREATE TABLE books (id serial PRIMARY KEY, title varchar(200) NOT NULL, author varchar(200),
       price numeric(10,2), published timestamp, ref uuid, meta json)`,
    );
  } finally {
    await db.end();
  }
}

export async function resetMariadb(): Promise<void> {
  const db = await createConnection({ uri: 'mysql://root@127.0.0.1:3306' });
  try {
    await db.query(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    await db.query(`DROP TABLE IF EXISTS ${DATABASE}.books`);
    await db.query(
      `CREATE TABLE ${DATABASE}.books (id int AUTO_INCREMENT PRIMARY KEY, title varchar(200) NOT NULL,
       author varchar(200), price decimal(10,2), published datetime, ref char(36), meta json)`,
    );
  } finally {
    await db.end();
  }
}

/** Rows as the database itself sees them, to check what a resolver wrote. */
export async function postgresRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
  await db.connect();
  try {
    return (await db.query(sql)).rows;
  } finally {
    await db.end();
  }
}

export async function mariadbRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = await createConnection({ uri: `mysql://root@127.0.0.1:3306/${DATABASE}` });
  try {
    return (await db.query(sql))[0] as Record<string, unknown>[];
  } finally {
    await db.end();
  }
}
