// Proves that the SQL migrations produce exactly the tables, columns, types,
// nullability and unique indexes that prisma/schema.prisma describes, since the
// migrations are written by hand rather than by `prisma migrate`.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import pg from "pg";

interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  nativeType: string | null;
}

const SCALAR_TYPES = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json"]);

/** Reads the models' scalar and enum fields from the Prisma schema. Relation fields have no column. */
function parseSchema(text: string): { models: Map<string, SchemaField[]>; enums: Set<string>; uniques: Map<string, string[][]> } {
  const enums = new Set([...text.matchAll(/^enum (\w+) \{/gm)].map((match) => match[1] ?? ""));
  const models = new Map<string, SchemaField[]>();
  const uniques = new Map<string, string[][]>();
  for (const match of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, name = "", body = ""] = match;
    const fields: SchemaField[] = [];
    const modelUniques: string[][] = [];
    for (const rawLine of body.split("\n")) {
      const line = rawLine.replace(/\/\/.*$/, "").trim();
      const composite = /^@@unique\(\[([^\]]+)\]\)/.exec(line);
      if (composite?.[1]) modelUniques.push(composite[1].split(",").map((part) => part.trim()));
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field) continue;
      const [, fieldName = "", type = "", list, optional, attributes = ""] = field;
      if (!SCALAR_TYPES.has(type) && !enums.has(type)) continue;
      if (/@unique\b/.test(attributes)) modelUniques.push([fieldName]);
      fields.push({ name: fieldName, type, optional: Boolean(optional), list: Boolean(list), nativeType: /@db\.(\w+(?:\(\d+\))?)/.exec(attributes)?.[1] ?? null });
    }
    models.set(name, fields);
    uniques.set(name, modelUniques);
  }
  return { models, enums, uniques };
}

/** Returns the Postgres column type Prisma creates for a field, as information_schema reports it. */
function expectedColumnType(field: SchemaField, enums: Set<string>): string {
  if (field.list) return `ARRAY:_${enums.has(field.type) ? field.type : "text"}`;
  if (enums.has(field.type)) return `USER-DEFINED:${field.type}`;
  const native = field.nativeType;
  if (native?.startsWith("VarChar")) return `character varying(${/\d+/.exec(native)?.[0]})`;
  if (native?.startsWith("Char")) return `character(${/\d+/.exec(native)?.[0]})`;
  if (native === "Uuid") return "uuid";
  if (native?.startsWith("Timestamptz")) return "timestamp with time zone";
  const plain: Record<string, string> = { String: "text", Int: "integer", BigInt: "bigint", Boolean: "boolean", DateTime: "timestamp without time zone", Json: "jsonb" };
  return plain[field.type] ?? field.type;
}

describe("migrations and schema.prisma", () => {
  it("agree on tables, columns and unique indexes", async () => {
    const schema = parseSchema(await readFile("prisma/schema.prisma", "utf8"));
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const columns = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; character_maximum_length: number | null }>(
        `SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
      );
      const actual = new Map<string, Map<string, string>>();
      for (const row of columns.rows) {
        let type = row.data_type;
        if (type === "ARRAY" || type === "USER-DEFINED") type = `${type}:${row.udt_name}`;
        if (row.character_maximum_length !== null) type = `${type}(${row.character_maximum_length})`;
        const table = actual.get(row.table_name) ?? new Map<string, string>();
        table.set(row.column_name, `${type} ${row.is_nullable === "YES" ? "NULL" : "NOT NULL"}`);
        actual.set(row.table_name, table);
      }

      expect([...actual.keys()].sort()).toEqual([...schema.models.keys()].sort());
      for (const [model, fields] of schema.models) {
        const expected = new Map(
          // Prisma creates list columns as nullable arrays.
          fields.map((field) => [field.name, `${expectedColumnType(field, schema.enums)} ${field.optional || field.list ? "NULL" : "NOT NULL"}`]),
        );
        expect(Object.fromEntries(actual.get(model) ?? []), model).toEqual(Object.fromEntries(expected));
      }

      const indexes = await client.query<{ tablename: string; indexdef: string }>(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexname NOT LIKE '%_pkey'`);
      const actualUniques = indexes.rows.map((row) => `${row.tablename}(${/\((.*)\)/.exec(row.indexdef)?.[1]?.replaceAll('"', "")})`).sort();
      const expectedUniques = [...schema.uniques].flatMap(([model, sets]) => sets.map((set) => `${model}(${set.join(", ")})`)).sort();
      expect(actualUniques).toEqual(expectedUniques);
    } finally {
      await client.end();
    }
  });
});
