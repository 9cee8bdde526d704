import type { ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { AppTheme } from "./theme";
import { SessionProvider } from "./auth/session";
import { FeedbackProvider } from "./components/feedback";
import { ApiError } from "./api/http";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // 4xx answers are final; retry only network/5xx once.
        retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 1,
      },
    },
  });
}

export function Providers({ children, client }: { children: ReactNode; client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <AppTheme>
        <FeedbackProvider>
          <SessionProvider>{children}</SessionProvider>
        </FeedbackProvider>
      </AppTheme>
    </QueryClientProvider>
  );
}
