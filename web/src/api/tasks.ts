/** Tasks (docs/api.md "Tasks"). */
import { request } from "./http";
import type { Page } from "./types";

export type TaskSource = "manual" | "call" | "whatsapp" | "api";

export interface Task {
  id: string;
  title: string;
  description: string;
  lead_id: string | null;
  assignee_user_id: string | null;
  created_by_user_id: string | null;
  source: TaskSource;
  due_at: string | null;
  done: boolean;
  done_at: string | null;
  overdue: boolean;
  created_at: string;
  updated_at: string;
}

export interface TaskInput {
  title: string;
  description?: string;
  due_at?: string | null;
  lead_id?: string | null;
  assignee_user_id?: string | null;
}

export interface TaskFilter {
  mine?: boolean;
  overdue?: boolean;
  done?: boolean;
  lead_id?: string;
  assignee_user_id?: string;
  page?: number;
  per_page?: number;
}

export const listTasks = (f: TaskFilter = {}) =>
  request<Page<Task>>("/api/tasks", { query: { ...f }, tenant: true });
export const createTask = (body: TaskInput) =>
  request<Task>("/api/tasks", { method: "POST", body, tenant: true });
export const updateTask = (id: string, body: Partial<TaskInput> & { done?: boolean }) =>
  request<Task>(`/api/tasks/${id}`, { method: "PATCH", body, tenant: true });
export const deleteTask = (id: string) =>
  request<void>(`/api/tasks/${id}`, { method: "DELETE", tenant: true });
