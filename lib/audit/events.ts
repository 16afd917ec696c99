/** Every audit action the portal writes, with what its `data` carries. */
export const AUDIT_ACTIONS = {
  "auth.signed_in": "a person signed in; data: roles",
  "request.created": "a requester asked for access; data: dataset, level, duration, justification",
  "request.cancelled": "the requester withdrew a pending request",
  "request.approved": "an approver approved a stage; data: stage, comment",
  "request.rejected": "an approver rejected the request; data: stage, comment",
  "grant.created": "the final approval created a grant; data: start and end",
  "grant.provisioning_started": "the provisioning job started",
  "grant.step_succeeded": "a provisioning step changed AWS; data: step, request ids, before/after documents",
  "grant.step_failed": "a provisioning step failed; data: step, AWS error",
  "grant.activated": "every provisioning step succeeded and the proof passed; data: proof summary",
  "grant.failed": "provisioning gave up; data: error",
  "grant.retry_requested": "a data owner queued a failed grant's provisioning again; data: last error",
  "grant.revoke_requested": "a data owner revoked an active grant; data: comment",
  "grant.expiry_started": "the grant reached its end time",
  "grant.revoked": "deprovisioning finished after a revoke",
  "grant.expired": "deprovisioning finished after expiry",
  "dataset.registered": "an administrator registered a dataset; data: bucket, prefix, key, rules",
  "grant.session_deny_removed": "the revoked-session deny of an ended grant left the bucket policy; data: request ids, before/after",
  "audit.exported": "a compliance reviewer exported the audit trail; data: format, filters",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
