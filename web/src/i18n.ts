// Every user-visible string of the UI, French first. `en` must have exactly the keys of `fr`
// (the type checker enforces it). Placeholders are written {name} and filled by t().

const fr = {
  appName: 'Cartable',
  skipLink: 'Aller au contenu',
  loading: 'Chargement…',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  languageSwitchLabel: 'Switch to English',
  signOut: 'Se déconnecter',
  accountNav: 'Compte',
  retry: 'Réessayer',

  rolePupil: 'Élève',
  roleTeacher: 'Enseignant',
  roleParent: 'Parent',
  roleStaff: 'Personnel',
  roleAdmin: 'Administrateur',

  signinTitle: 'Connexion',
  signinIntro: 'Connectez-vous avec l’identifiant donné par votre établissement.',
  fieldLogin: 'Identifiant',
  fieldPassword: 'Mot de passe',
  fieldRemember: 'Rester connecté',
  rememberHint: 'Uniquement sur un appareil personnel.',
  signinButton: 'Se connecter',
  signingIn: 'Connexion…',
  signedOut: 'Vous êtes déconnecté.',
  errMissingCredentials: 'Saisissez votre identifiant et votre mot de passe.',
  errInvalidCredentials: 'Identifiant ou mot de passe incorrect',
  errTooManyAttempts: 'Trop de tentatives, réessayez dans {n} s',
  errTooManyAttemptsLater: 'Trop de tentatives, réessayez plus tard',
  errOverloaded: 'Service surchargé, réessayez dans {n} s',
  errOverloadedLater: 'Service surchargé, réessayez plus tard',
  errNetwork: 'Impossible de joindre le serveur. Vérifiez votre connexion.',
  errSessionExpired: 'Votre session a expiré. Reconnectez-vous.',
  errForbidden: 'Vous n’avez pas le droit de faire cela.',
  errNotFound: 'Introuvable : l’élément a peut-être été supprimé.',
  errGeneric: 'Une erreur est survenue ({code}).',

  today: 'Aujourd’hui',
  shiftedWeekend: 'Pas de cours aujourd’hui (week-end) — voici {date}',
  shiftedHoliday: 'Pas de cours aujourd’hui ({holiday}) — voici {date}',
  holidayFallback: 'vacances',
  shiftedOther: 'Plus de cours aujourd’hui — voici {date}',
  refresh: 'Actualiser',
  timetable: 'Emploi du temps',
  noLessons: 'Aucun cours ce jour-là.',
  homeworkDue: 'Devoirs à faire',
  noHomeworkDue: 'Aucun devoir à venir.',
  dueOn: 'Pour {date}',
  dueToday: '(aujourd’hui)',
  dueTomorrow: '(demain)',
  room: 'salle {room}',
  lessonTime: '{start} – {end}',
  noChildren: 'Aucun enfant n’est rattaché à votre compte.',
  welcome: 'Bienvenue, {name}',
  welcomeText: 'Votre espace de gestion ({school}) sera bientôt disponible ici.',

  myLessons: 'Mes cours',
  homework: 'Devoirs',
  newHomework: 'Nouveau devoir',
  editHomework: 'Modifier le devoir',
  homeworkSet: 'Devoirs donnés',
  noHomeworkSet: 'Vous n’avez encore donné aucun devoir.',
  noTeaching: 'Aucune classe ne vous est attribuée : vous ne pouvez pas donner de devoir.',
  fieldTeaching: 'Classe et matière',
  chooseTeaching: 'Choisir…',
  fieldTitle: 'Titre',
  fieldBody: 'Consignes',
  fieldDue: 'À faire pour le',
  publish: 'Publier',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  cancel: 'Annuler',
  edit: 'Modifier',
  delete: 'Supprimer',
  confirmDelete: 'Supprimer « {title} » ? Les élèves ne le verront plus.',
  confirmDeleteButton: 'Oui, supprimer',
  created: 'Devoir publié.',
  updated: 'Devoir modifié.',
  deleted: 'Devoir supprimé.',
  errRequired: 'Ce champ est obligatoire.',
  errTooLong: '{n} caractères au plus.',
  errDate: 'Indiquez une date valide.',
  errDateRange: 'La date doit se situer dans l’année qui vient ou qui s’achève.',
  errCharacters: 'Ce texte contient des caractères non autorisés.',
  errFormInvalid: 'Le devoir n’a pas été enregistré : corrigez les champs signalés.',
};

export type Key = keyof typeof fr;

const en: Record<Key, string> = {
  appName: 'Cartable',
  skipLink: 'Skip to content',
  loading: 'Loading…',
  otherLanguage: 'Français',
  otherLanguageCode: 'fr',
  languageSwitchLabel: 'Passer en français',
  signOut: 'Sign out',
  accountNav: 'Account',
  retry: 'Try again',

  rolePupil: 'Pupil',
  roleTeacher: 'Teacher',
  roleParent: 'Parent',
  roleStaff: 'Staff',
  roleAdmin: 'Administrator',

  signinTitle: 'Sign in',
  signinIntro: 'Sign in with the login your school gave you.',
  fieldLogin: 'Login',
  fieldPassword: 'Password',
  fieldRemember: 'Stay signed in',
  rememberHint: 'Only on a personal device.',
  signinButton: 'Sign in',
  signingIn: 'Signing in…',
  signedOut: 'You are signed out.',
  errMissingCredentials: 'Enter your login and your password.',
  errInvalidCredentials: 'Incorrect login or password',
  errTooManyAttempts: 'Too many attempts, try again in {n} s',
  errTooManyAttemptsLater: 'Too many attempts, try again later',
  errOverloaded: 'Service overloaded, try again in {n} s',
  errOverloadedLater: 'Service overloaded, try again later',
  errNetwork: 'Cannot reach the server. Check your connection.',
  errSessionExpired: 'Your session has expired. Please sign in again.',
  errForbidden: 'You are not allowed to do that.',
  errNotFound: 'Not found: it may have been deleted.',
  errGeneric: 'Something went wrong ({code}).',

  today: 'Today',
  shiftedWeekend: 'No lessons today (weekend) — here is {date}',
  shiftedHoliday: 'No lessons today ({holiday}) — here is {date}',
  holidayFallback: 'holidays',
  shiftedOther: 'No more lessons today — here is {date}',
  refresh: 'Refresh',
  timetable: 'Timetable',
  noLessons: 'No lessons that day.',
  homeworkDue: 'Homework due',
  noHomeworkDue: 'No homework due soon.',
  dueOn: 'Due {date}',
  dueToday: '(today)',
  dueTomorrow: '(tomorrow)',
  room: 'room {room}',
  lessonTime: '{start} – {end}',
  noChildren: 'No child is linked to your account.',
  welcome: 'Welcome, {name}',
  welcomeText: 'Your management space ({school}) will soon be available here.',

  myLessons: 'My lessons',
  homework: 'Homework',
  newHomework: 'New homework',
  editHomework: 'Edit homework',
  homeworkSet: 'Homework set',
  noHomeworkSet: 'You have not set any homework yet.',
  noTeaching: 'No class is assigned to you: you cannot set homework.',
  fieldTeaching: 'Class and subject',
  chooseTeaching: 'Choose…',
  fieldTitle: 'Title',
  fieldBody: 'Instructions',
  fieldDue: 'Due date',
  publish: 'Publish',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  edit: 'Edit',
  delete: 'Delete',
  confirmDelete: 'Delete “{title}”? Pupils will no longer see it.',
  confirmDeleteButton: 'Yes, delete',
  created: 'Homework published.',
  updated: 'Homework updated.',
  deleted: 'Homework deleted.',
  errRequired: 'This field is required.',
  errTooLong: 'At most {n} characters.',
  errDate: 'Enter a valid date.',
  errDateRange: 'The date must be within a year of today.',
  errCharacters: 'This text contains characters that are not allowed.',
  errFormInvalid: 'The homework was not saved: fix the fields marked.',
};

export type Lang = 'fr' | 'en';
const tables: Record<Lang, Record<Key, string>> = { fr, en };
const STORAGE_KEY = 'cartable.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // storage unavailable (private mode, disabled): fall through
  }
  // French first whatever the browser says: a shared family computer's language is not the
  // pupil's school's. English is one click away and remembered.
  return 'fr';
}

export let lang: Lang = initialLang();

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still applied
  }
  document.documentElement.lang = next;
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s = tables[lang][key];
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  return s;
}

// --- Dates. The API speaks civil dates "YYYY-MM-DD"; they are formatted as UTC midnight so the
// browser's time zone can never move them to the day before.

export function parseDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const d = parseDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// "lundi 23 novembre" / "Monday, November 23"; the year is added when it differs from refYear.
export function formatDay(iso: string, refYear?: number): string {
  const d = parseDate(iso);
  const withYear = refYear !== undefined && d.getUTCFullYear() !== refYear;
  const key = `${lang}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: withYear ? 'numeric' : undefined,
      timeZone: 'UTC',
    });
    formatters.set(key, f);
  }
  return f.format(d);
}
