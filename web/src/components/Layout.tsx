import { type ReactNode, useState } from "react";
import { Link as RouterLink, Outlet, useLocation } from "react-router";
import {
  AppBar, Box, Button, Drawer, IconButton, List, ListItemButton, ListItemIcon, ListItemText,
  MenuItem, TextField, Toolbar, Typography, useMediaQuery, useTheme,
} from "@mui/material";
import MenuIcon from "@mui/icons-material/Menu";
import DashboardIcon from "@mui/icons-material/Dashboard";
import PeopleIcon from "@mui/icons-material/People";
import PhoneIcon from "@mui/icons-material/Phone";
import WhatsAppIcon from "@mui/icons-material/WhatsApp";
import TaskIcon from "@mui/icons-material/TaskAlt";
import DescriptionIcon from "@mui/icons-material/Description";
import ReceiptIcon from "@mui/icons-material/Receipt";
import ManageAccountsIcon from "@mui/icons-material/ManageAccounts";
import BusinessIcon from "@mui/icons-material/Business";
import SettingsIcon from "@mui/icons-material/Settings";
import LogoutIcon from "@mui/icons-material/Logout";
import TranslateIcon from "@mui/icons-material/Translate";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { listBusinesses } from "../api/businesses";
import { NotificationsBell } from "./NotificationsBell";
import { useLiveEvents } from "./useLiveEvents";

const DRAWER = 230;

interface NavItem { to: string; label: string; icon: ReactNode; testid: string }

function useNav(): NavItem[] {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const items: NavItem[] = [
    { to: "/", label: t("nav.dashboard"), icon: <DashboardIcon />, testid: "nav-dashboard" },
    { to: "/leads", label: t("nav.leads"), icon: <PeopleIcon />, testid: "nav-leads" },
    { to: "/calls", label: t("nav.calls"), icon: <PhoneIcon />, testid: "nav-calls" },
    { to: "/whatsapp", label: t("nav.whatsapp"), icon: <WhatsAppIcon />, testid: "nav-whatsapp" },
    { to: "/tasks", label: t("nav.tasks"), icon: <TaskIcon />, testid: "nav-tasks" },
    { to: "/offers", label: t("nav.offers"), icon: <DescriptionIcon />, testid: "nav-offers" },
    { to: "/invoices", label: t("nav.invoices"), icon: <ReceiptIcon />, testid: "nav-invoices" },
  ];
  if (isAdmin) {
    items.push({ to: "/admin/users", label: t("nav.adminUsers"), icon: <ManageAccountsIcon />, testid: "nav-admin-users" });
    items.push({ to: "/admin/businesses", label: t("nav.businesses"), icon: <BusinessIcon />, testid: "nav-businesses" });
  } else if (user && user.role !== "agent") {
    items.push({ to: "/users", label: t("nav.users"), icon: <ManageAccountsIcon />, testid: "nav-users" });
  }
  items.push({ to: "/settings", label: t("nav.settings"), icon: <SettingsIcon />, testid: "nav-settings" });
  return items;
}

function BusinessPicker() {
  const { t } = useTranslation();
  const { actingBusinessId, chooseBusiness } = useSession();
  const q = useQuery({ queryKey: ["businesses"], queryFn: listBusinesses });
  return (
    <TextField
      select
      size="small"
      label={t("app.actingBusiness")}
      value={actingBusinessId ?? ""}
      onChange={(e) => chooseBusiness(e.target.value || null)}
      sx={{ minWidth: 160, bgcolor: "background.paper", borderRadius: 1 }}
      slotProps={{ htmlInput: { "data-testid": "business-picker" } }}
    >
      <MenuItem value="">{t("app.chooseBusiness")}</MenuItem>
      {q.data?.map((b) => (
        <MenuItem key={b.id} value={b.id}>{b.name}</MenuItem>
      ))}
    </TextField>
  );
}

export function Layout() {
  const { t, i18n } = useTranslation();
  const { user, business, isAdmin, actingBusinessId, signOut } = useSession();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up("md"));
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const nav = useNav();
  useLiveEvents(!!user && (!isAdmin || !!actingBusinessId), actingBusinessId);

  const drawer = (
    <Box role="navigation" sx={{ width: DRAWER }}>
      <Toolbar>
        <Typography variant="h6" noWrap>{t("app.name")}</Typography>
      </Toolbar>
      <List>
        {nav.map((item) => (
          <ListItemButton
            key={item.to}
            component={RouterLink}
            to={item.to}
            selected={item.to === "/" ? location.pathname === "/" : location.pathname.startsWith(item.to)}
            onClick={() => setOpen(false)}
            data-testid={item.testid}
          >
            <ListItemIcon>{item.icon}</ListItemIcon>
            <ListItemText primary={item.label} />
          </ListItemButton>
        ))}
      </List>
    </Box>
  );

  return (
    <Box sx={{ display: "flex", minHeight: "100vh" }}>
      <AppBar position="fixed" sx={{ zIndex: (th) => th.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 1 }}>
          {!desktop && (
            <IconButton color="inherit" edge="start" aria-label={t("app.menu")} onClick={() => setOpen(true)} data-testid="menu-button">
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" noWrap sx={{ flexGrow: 1 }} data-testid="app-title">
            {business?.name ?? t("app.name")}
          </Typography>
          {isAdmin && <BusinessPicker />}
          {(!isAdmin || actingBusinessId) && <NotificationsBell />}
          <Button
            color="inherit"
            startIcon={<TranslateIcon />}
            onClick={() => void i18n.changeLanguage(i18n.language === "en" ? "he" : "en")}
            aria-label={t("app.languageSwitch")}
            data-testid="lang-switch"
          >
            {desktop ? t("app.language") : i18n.language === "en" ? "HE" : "EN"}
          </Button>
          <IconButton color="inherit" aria-label={t("nav.logout")} title={`${t("nav.logout")} (${user?.email ?? ""})`} onClick={() => void signOut()} data-testid="logout">
            <LogoutIcon />
          </IconButton>
        </Toolbar>
      </AppBar>
      {desktop ? (
        <Drawer variant="permanent" sx={{ width: DRAWER, flexShrink: 0, "& .MuiDrawer-paper": { width: DRAWER } }}>
          {drawer}
        </Drawer>
      ) : (
        <Drawer variant="temporary" open={open} onClose={() => setOpen(false)} ModalProps={{ keepMounted: true }}>
          {drawer}
        </Drawer>
      )}
      <Box component="main" sx={{ flexGrow: 1, minWidth: 0, p: { xs: 1.5, md: 3 } }}>
        <Toolbar />
        <Outlet />
      </Box>
    </Box>
  );
}
