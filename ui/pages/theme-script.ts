// Runs before first paint (a tiny external script, since the CSP forbids inline ones): applies the stored
// theme choice so a user who picked "dark" never sees a light flash.

export const THEME_SCRIPT = `try{var t=localStorage.getItem("tracker-theme");` +
  `if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
