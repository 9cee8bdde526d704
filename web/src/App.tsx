import { lazy, type ReactNode, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { Alert, Box, CircularProgress } from "@mui/material";
import { useTranslation } from "react-i18next";
import { useSession } from "./auth/session";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/login/LoginPage";

// Every page but login is its own chunk, so the first load stays small.
const DashboardPage = lazy(() => import("./pages/dashboard/DashboardPage"));
const LeadsPage = lazy(() => import("./pages/leads/LeadsPage"));
const LeadDetailPage = lazy(() => import("./pages/lead-detail/LeadDetailPage"));
const CallsPage = lazy(() => import("./pages/calls/CallsPage"));
const WhatsAppPage = lazy(() => import("./pages/whatsapp/WhatsAppPage"));
const TasksPage = lazy(() => import("./pages/tasks/TasksPage"));
const OffersPage = lazy(() => import("./pages/offers/OffersPage"));
const InvoicesPage = lazy(() => import("./pages/offers/InvoicesPage"));
const SignPage = lazy(() => import("./pages/sign/SignPage"));
const UsersPage = lazy(() => import("./pages/users/UsersPage"));
const BusinessesPage = lazy(() => import("./pages/businesses/BusinessesPage"));
const SettingsPage = lazy(() => import("./pages/settings/SettingsPage"));

export function Loading() {
  return (
    <Box sx={{ display: "flex", justifyContent: "center", p: 6 }} data-testid="loading">
      <CircularProgress />
    </Box>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, expired } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname, expired }} />;
  }
  return <>{children}</>;
}

/** Tenant pages need a business; a system admin picks one at the top first. */
function Tenant({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { isAdmin, actingBusinessId } = useSession();
  if (isAdmin && !actingBusinessId) {
    return <Alert severity="info" data-testid="choose-business">{t("app.noBusiness")}</Alert>;
  }
  return <>{children}</>;
}

function AdminOnly({ children }: { children: ReactNode }) {
  const { isAdmin } = useSession();
  return isAdmin ? <>{children}</> : <Navigate to="/" replace />;
}

export function AppRoutes() {
  const page = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/sign/:token" element={page(<SignPage />)} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={page(<Tenant><DashboardPage /></Tenant>)} />
        <Route path="leads" element={page(<Tenant><LeadsPage /></Tenant>)} />
        <Route path="leads/:id" element={page(<Tenant><LeadDetailPage /></Tenant>)} />
        <Route path="calls" element={page(<Tenant><CallsPage /></Tenant>)} />
        <Route path="whatsapp" element={page(<Tenant><WhatsAppPage /></Tenant>)} />
        <Route path="tasks" element={page(<Tenant><TasksPage /></Tenant>)} />
        <Route path="offers" element={page(<Tenant><OffersPage /></Tenant>)} />
        <Route path="invoices" element={page(<Tenant><InvoicesPage /></Tenant>)} />
        <Route path="users" element={page(<Tenant><UsersPage mode="business" /></Tenant>)} />
        <Route path="admin/users" element={page(<AdminOnly><UsersPage mode="admin" /></AdminOnly>)} />
        <Route path="admin/businesses" element={page(<AdminOnly><BusinessesPage /></AdminOnly>)} />
        <Route path="settings" element={page(<Tenant><SettingsPage /></Tenant>)} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
