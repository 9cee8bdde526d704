/** Tasks (issue 5). Built from the issue text until the CRM contract lands; adjust here only. */
import { request } from "./http";
import type { Page } from "./types";

export interface Task {
  id: string;
  title: string;
  description?: string | null;
  due_at: string | null;
  done: boolean;
  done_at?: string | null;
  lead_id: string | null;
  assignee_id?: string | null;
  assigned_user_id?: string | null;
  created_at: string;
  updated_at: string;
}

export interface TaskInput {
  title: string;
  description?: string;
  due_at?: string | null;
  lead_id?: string | null;
  assignee_id?: string | null;
}

export interface TaskFilter {
  mine?: boolean;
  overdue?: boolean;
  done?: boolean;
  lead_id?: string;
  page?: number;
}

/** Lists accept either a Page or a bare array (until the contract is fixed). */
function items<T>(r: Page<T> | T[]): Page<T> {
  return Array.isArray(r) ? { items: r, page: 1, per_page: r.length, total: r.length } : r;
}

export const listTasks = async (f: TaskFilter = {}) =>
  items(await request<Page<Task> | Task[]>("/api/tasks", { query: { ...f }, tenant: true }));
export const createTask = (body: TaskInput) =>
  request<Task>("/api/tasks", { method: "POST", body, tenant: true });
export const updateTask = (id: string, body: Partial<TaskInput> & { done?: boolean }) =>
  request<Task>(`/api/tasks/${id}`, { method: "PATCH", body, tenant: true });
export const deleteTask = (id: string) =>
  request<void>(`/api/tasks/${id}`, { method: "DELETE", tenant: true });
