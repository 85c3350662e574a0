/**
 * The teacher chunk: `pg-app` imports this module dynamically, so the student pages never load
 * the teacher elements.
 */
import './pg-teacher-new';
import './pg-teacher-dashboard';
