/** Entry point of the web app: defines `<pg-app>` (which defines the student elements). */
import './pg-app';
