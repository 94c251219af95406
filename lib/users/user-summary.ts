/** The fields of a user that pages, the API and audit records show (never the password hash). */
export const USER_SUMMARY_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  mustChangePassword: true,
  lastLoginAt: true,
  createdAt: true,
} as const;
