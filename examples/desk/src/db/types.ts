import type { ColumnType, Generated } from "kysely";

type Ts = ColumnType<Date, Date | string, Date | string>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface CountyRow { county_code: string; name_zh: string; name_en: string; timezone: Generated<string>; created_at: TsDefault }
export interface PackRow {
  pack_id: string; version: string; status: "draft" | "review" | "published" | "retired"; content: Json; sha256: string;
  created_by: string; created_at: TsDefault; submitted_at: Ts | null; reviewed_by: string | null; reviewed_at: Ts | null; published_by: string | null; published_at: Ts | null;
}
export interface PackBindingRow { county_code: string; pack_id: string; valid_from: Ts; version: string; bound_by: string; bound_at: TsDefault }
export interface UnitRow { county_code: string; unit_id: string; parent_id: string | null; kind: string; name_zh: string; name_en: string; path: string }
export interface NumberSeqRow { county_code: string; scope: string; value: number; max: number }
export interface UserRow { county_code: string; user_id: string; login: string; display_name: string; password_hash: string; disabled: Generated<boolean>; created_at: TsDefault }
export interface UserRoleRow { county_code: string; user_id: string; role: string; unit_id: string; granted_by: string; granted_at: TsDefault }
export interface SessionRow { county_code: string; token_hash: string; user_id: string; created_at: TsDefault; expires_at: Ts }
export interface CaseRow {
  county_code: string; case_id: string; number: string; number_year: number; pack_id: string; pack_version: string; channel: string; title: string;
  state: string; status: string; level: string; rank: number; intake_unit_id: string; unit_id: string;
  received_at: Ts; due_at: Ts | null; warn_at: Ts | null; next_tick_at: Ts | null; last_event_at: Ts;
  overdue: boolean; awaiting_decision: boolean; to_sign_for: boolean; to_follow_up: boolean;
  snapshot: Json; version: number; created_by: string; created_at: TsDefault;
}
export interface CaseEventRow { county_code: string; case_id: string; seq: number; type: string; event: Json; actor: string; request_id: string; recorded_at: TsDefault }
export interface IdempotencyRow { county_code: string; user_id: string; key: string; request_hash: string; status: number; response: Json; created_at: TsDefault }
export interface OutboxRow {
  county_code: string; id: Generated<number>; case_id: string | null; kind: string; channel: Generated<string>; payload: Json;
  created_at: TsDefault; available_at: TsDefault; attempts: Generated<number>; delivered_at: Ts | null; last_error: string | null;
}
export interface NotificationRow { county_code: string; id: Generated<number>; unit_id: string; case_id: string | null; outbox_id: number; message: Json; created_at: TsDefault; read_at: Ts | null }
export interface AuditHeadRow { county_code: string; seq: number; hash: string }
export interface AuditRow { county_code: string; id: Generated<number>; at: Ts; actor: string; action: string; case_id: string | null; body: string }
export interface AuditSealRow { county_code: string; seq: number; entry_id: number; hash: string; sealed_at: TsDefault }
export interface AuditPendingRow { county_code: string; entry_id: number }
export interface LoginDirectoryRow { login: string; county_code: string }
export interface MigrationRow { name: string; sha256: string; applied_at: TsDefault }

/** The desk's tables, for Kysely. */
export interface DB {
  counties: CountyRow;
  packs: PackRow;
  pack_bindings: PackBindingRow;
  units: UnitRow;
  number_seq: NumberSeqRow;
  users: UserRow;
  user_roles: UserRoleRow;
  sessions: SessionRow;
  cases: CaseRow;
  case_events: CaseEventRow;
  idempotency: IdempotencyRow;
  outbox: OutboxRow;
  notifications: NotificationRow;
  audit_head: AuditHeadRow;
  audit_log: AuditRow;
  audit_seal: AuditSealRow;
  audit_pending: AuditPendingRow;
  login_directory: LoginDirectoryRow;
  schema_migrations: MigrationRow;
}

/** Tables whose rows belong to one county (distributed by county_code under Citus). */
export const TENANT_TABLES = ["pack_bindings", "units", "number_seq", "users", "user_roles", "sessions", "cases", "case_events", "idempotency", "outbox", "notifications", "audit_head", "audit_log", "audit_seal", "audit_pending"] as const;
/** Small tables copied to every node. */
export const REFERENCE_TABLES = ["counties", "packs", "login_directory"] as const;
